"""Recruitment offices: the directory, mediation contracts and following them.

Three services: the public directory of licensed offices (a plugin page,
:mod:`bawaba_musaned.office_views`), the mediation contract (a form the host
serves, declared in :mod:`bawaba_musaned.contracts`) and the person's own
contract requests (a plugin page).
"""

from __future__ import annotations

import bawaba_sdk as sdk

from . import contracts
from .i18n import _l

SETTINGS: tuple[sdk.Setting, ...] = (
    sdk.Setting(
        name="contract_advance_percent",
        default=25,
        parse=sdk.parse_int(minimum=0, maximum=100),
        help="Share of a mediation contract's value paid to the recruitment office in advance, in percent.",
    ),
)

SERVICES: tuple[sdk.Service, ...] = (
    sdk.Service(
        slug="recruitment_offices",
        name=_l("Recruitment offices directory"),
        summary=_l("Find the licensed recruitment offices in the Kingdom and compare them."),
        endpoint="musaned.offices",
        requires_sign_in=False,
    ),
    contracts.SERVICE_DECLARATION,
    sdk.Service(
        slug="contract_requests",
        name=_l("Follow contract requests"),
        summary=_l("Follow your contract requests with recruitment offices until the worker arrives."),
        endpoint="musaned.contract_requests",
    ),
)

HOOKS: dict[str, sdk.ServiceHooks] = {**contracts.HOOKS}
