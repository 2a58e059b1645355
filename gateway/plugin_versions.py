"""Which SDK a plugin needs, and whether the installed one is in that range (as CKAN's ``requires_ckan_version``).

A plugin states the range in either of two places, and both are checked:

- its distribution's ``Requires-Dist`` on ``bawaba-sdk`` (``dependencies =
  ["bawaba-sdk>=0.6,<0.7"]`` in its ``pyproject.toml``), read from the
  installed metadata *before* its code is imported, so code written for
  another SDK never runs (its import might fail with a confusing
  ``ImportError`` instead of this message);
- an attribute ``requires_sdk = ">=0.6,<0.7"`` on the plugin object, for a
  plugin that is not a distribution of its own (a module on the path).

The host refuses a plugin outside its range at start-up, saying which range
it needs, which SDK is installed and what to do; the other plugins serve.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

import bawaba_sdk
from bawaba_sdk.markers import REQUIRES_SDK_ATTRIBUTE, SDK_DISTRIBUTION


def installed_sdk() -> Version:
    """The SDK this host runs (``bawaba_sdk.__version__``)."""
    return Version(bawaba_sdk.__version__)


def _refusal(spec: SpecifierSet, where: str, installed: Version) -> str | None:
    if spec.contains(installed, prereleases=True):
        return None
    return (
        f"needs {SDK_DISTRIBUTION}{spec} ({where}) but {SDK_DISTRIBUTION} {installed} is installed: "
        f"install a version of the plugin made for SDK {installed}, or an SDK in its range"
    )


def distribution_problem(entry_point: metadata.EntryPoint, installed: Version | None = None) -> str | None:
    """Why the plugin's distribution cannot run on the installed SDK (its ``Requires-Dist``), or ``None``."""
    distribution = getattr(entry_point, "dist", None)
    if distribution is None:
        return None
    installed = installed or installed_sdk()
    where = f"Requires-Dist of {distribution.name} {distribution.version}"
    for requirement in _sdk_requirements(distribution.requires or ()):
        problem = _refusal(requirement.specifier, where, installed)
        if problem:
            return problem
    return None


def _sdk_requirements(lines: Iterable[str]) -> list[Requirement]:
    """The run-time requirements on the SDK (not those of an extra such as ``test``).

    A line ``packaging`` cannot read is skipped: pip could not have installed it either.
    """
    found = []
    for line in lines:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(requirement.name) != SDK_DISTRIBUTION:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        found.append(requirement)
    return found


def attribute_problem(plugin: object, installed: Version | None = None) -> str | None:
    """Why the plugin's ``requires_sdk`` excludes the installed SDK, or ``None`` (also when it has none)."""
    declared = getattr(plugin, REQUIRES_SDK_ATTRIBUTE, None)
    if declared is None:
        return None
    where = f"its {REQUIRES_SDK_ATTRIBUTE} attribute"
    try:
        spec = SpecifierSet(str(declared))
    except InvalidSpecifier:
        return f"{where} is not a version range such as '>=0.6,<0.7': {declared!r}"
    return _refusal(spec, where, installed or installed_sdk())
