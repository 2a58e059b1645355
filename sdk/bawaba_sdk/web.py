"""The web pieces a plugin uses, re-exported so plugins import only ``sdk``.

Going through this module (as CKAN's toolkit does) lets the SDK keep these
names stable, or deprecate them with warning, whatever happens underneath.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for

__all__ = ["Blueprint", "abort", "flash", "g", "redirect", "render_template", "request", "session", "url_for"]
