"""The national registry (Absher/Yakeen in real life) behind an adapter.

- :mod:`.records`: ``RegistryRecord`` and ``HouseholdMember``, what every adapter returns.
- :mod:`.adapter`: the ``RegistryAdapter`` protocol, ``RegistryUnavailable`` and
  ``load_registry_adapter``, which ``GATEWAY_REGISTRY_ADAPTER`` drives.
- :mod:`.sandbox`: ``SandboxRegistry``, fictional people from ``data/sandbox_people.json``.
- :mod:`.matching`: ``match_registration``, step 1 of registration.
- :mod:`.cli`: ``gateway registry show`` / ``list``.
"""

from .adapter import (
    RegistryAdapter,
    RegistryUnavailable,
    current_registry,
    load_registry_adapter,
    registry_for,
)
from .matching import RegistryMatch, match_registration, normalize_name
from .records import HouseholdMember, RegistryRecord, Relation
from .sandbox import SandboxDataError, SandboxRegistry

__all__ = [
    "HouseholdMember",
    "RegistryAdapter",
    "RegistryMatch",
    "RegistryRecord",
    "RegistryUnavailable",
    "Relation",
    "SandboxDataError",
    "SandboxRegistry",
    "current_registry",
    "load_registry_adapter",
    "match_registration",
    "normalize_name",
    "registry_for",
]
