"""What the developed social security programme offers, who it is for, and its unified profile.

Everything a person reads is an English msgid translated lazily through the
plugin's own gettext domain (``social_security``). The programme's eligibility
thresholds are not published here: the entitlement calculation will read them
from settings when it is built, never from code.
"""

from __future__ import annotations

import bawaba_sdk as sdk

from .apply import APPLY, FIELD_OFFICER
from .calendar_days import parse_days, parse_weekend
from .objection import DEFAULT_DAYS, OBJECTION
from .situation import DEFAULT_MAX_MEMBERS

SLUG = "social_security"

translations = sdk.TranslationDomain.for_package("bawaba_social_security", SLUG)
_l = translations.lazy_gettext

PROFILE_SECTIONS = (
    _l("Personal details"),
    _l("Housing"),
    _l("Income"),
    _l("Education"),
    _l("Employment"),
    _l("Licences"),
    _l("Property"),
    _l("Dependents"),
)
"""The eight sections of the unified profile (الملف الموحد), in the order they are filled in."""

SERVICES = (
    sdk.Service(
        slug="registration",
        name=_l("Registration in the programme"),
        summary=_l(
            "Register with your national ID number, date of birth and mobile number. When they match the "
            "registry, a verification code is sent to your mobile to confirm it."
        ),
        endpoint="account.register",
        requires_sign_in=False,
    ),
    sdk.Service(
        slug="unified_profile",
        name=_l("Unified profile"),
        summary=_l(
            "Fill in the eight sections of the unified profile about you and your household, then confirm them."
        ),
        endpoint="social_security.profile",
    ),
    sdk.Service(
        slug="eligibility",
        name=_l("Eligibility and entitlement"),
        summary=_l("Find out whether your household is eligible, and how its monthly amount is calculated."),
        endpoint="social_security.eligibility",
    ),
    APPLY,
    OBJECTION,
    sdk.Service(
        slug="estimate",
        name=_l("Estimate without an account"),
        summary=_l("Describe any household and see whether it would be eligible and how much it would receive."),
        endpoint="social_security.estimate",
        requires_sign_in=False,
    ),
)
"""Only services with a page: registration is the portal's own account (no second account), the
estimate needs none. The monthly payments and job offers join the list when their pages exist, so no
service leads nowhere."""

PROGRAM = sdk.Program(
    slug=SLUG,
    name=_l("Developed Social Security"),
    summary=_l(
        "Financial support for the neediest individuals and households, with training and job offers that help "
        "them become self-reliant."
    ),
    translations=translations,
    services=SERVICES,
    staff_roles=((FIELD_OFFICER, _l("Field officer")),),
    conditions=(
        _l(
            "Support goes to those in need, whatever their marital status or gender, once they meet all of the "
            "programme's criteria and conditions."
        ),
        _l("Priority goes to the neediest and most entitled."),
        _l("You register with your national ID number, and your details must match the national registry."),
    ),
)
"""The programme as the portal shows it."""

SETTINGS = (
    sdk.Setting(
        name="max_members",
        default=DEFAULT_MAX_MEMBERS,
        parse=sdk.parse_int(minimum=1, maximum=100),
        help="The most members one household may declare (a larger household is a typing mistake).",
    ),
    sdk.Setting(
        name="cycle_schedule",
        default="0 3 * * *",
        parse=sdk.parse_text,
        help="When gateway worker looks whether the month's cycle is due (crontab, UTC; 'off' never).",
    ),
    sdk.Setting(
        name="weekend_days",
        default=frozenset({4, 5}),
        parse=parse_weekend,
        help="Weekdays the monthly cycle never falls on (e.g. fri,sat): it moves to the next working day.",
    ),
    sdk.Setting(
        name="non_working_days",
        default=frozenset(),
        parse=parse_days,
        help="Public holidays the monthly cycle never falls on, as YYYY-MM-DD dates separated by commas.",
    ),
    sdk.Setting(
        name="objection_days",
        default=DEFAULT_DAYS,
        parse=sdk.parse_int(minimum=1, maximum=365),
        help="Days after a decision on an application within which the household may object to it.",
    ),
)
"""The plugin's configuration keys (``GATEWAY_SOCIAL_SECURITY_<NAME>``)."""
