"""The project's one pluggy marker pair.

Every hook specification and every implementation in every plugin is tagged
with the project name ``"gateway"``; pluggy matches the two by that name, so a
plugin only has to ``from sdk import hookimpl``.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "gateway"
"""The pluggy project name; also the prefix of every hook (``gateway_*``)."""

ENTRY_POINT_GROUP = "gateway.plugins"
"""The entry-point group under which a distribution declares its plugin."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

SDK_DISTRIBUTION = "bawaba-sdk"
"""The SDK's distribution name: a plugin's ``Requires-Dist`` on it states the SDK range it needs."""

REQUIRES_SDK_ATTRIBUTE = "requires_sdk"
"""A plugin object's optional attribute with the SDK range it needs (``requires_sdk = ">=0.6,<0.7"``),
for a plugin that is not a distribution of its own; the host refuses it outside that range."""
