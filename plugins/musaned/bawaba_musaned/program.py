"""What Musaned offers: the program, its services, who may use it and how to reach it.

Each part of the plugin declares its own services and settings (``visas``,
``offices``, ``complaints``, ``tickets``); this module puts them together in
the order the program page lists them. Everything a person reads is an
English msgid translated lazily through the plugin's own gettext domain
(``musaned``); fees, time limits and rules are settings, not code.
"""

from __future__ import annotations

import bawaba_sdk as sdk

from . import complaints, offices, tickets, visas
from .i18n import _l, translations
from .web import SLUG

SETTINGS: tuple[sdk.Setting, ...] = visas.SETTINGS + offices.SETTINGS + complaints.SETTINGS + tickets.SETTINGS
"""The configuration keys (``GATEWAY_MUSANED_<NAME>``) and their defaults from the seeds."""

SERVICES: tuple[sdk.Service, ...] = visas.SERVICES + offices.SERVICES + complaints.SERVICES + tickets.SERVICES

PROGRAM = sdk.Program(
    slug=SLUG,
    name=_l("Musaned"),
    summary=_l(
        "Recruitment of domestic workers: visas, licensed recruitment offices, mediation contracts and complaints."
    ),
    translations=translations,
    services=SERVICES,
    conditions=(
        _l("You have an active account on Absher, the national registry platform."),
        _l("You have no unpaid traffic violations."),
    ),
    contacts=(
        sdk.ContactPoint(kind="phone", value="920002866", label=_l("Unified number")),
        sdk.ContactPoint(kind="phone", value="19911", label=_l("Labour hotline for reports")),
    ),
)
"""Musaned as the portal shows it."""
