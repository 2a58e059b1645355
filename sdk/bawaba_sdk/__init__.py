"""Bawaba plugin SDK: the only package a program plugin imports.

Everything here is public and follows the deprecation policy in
``docs/plugin-guide.md``: a name is removed only after one minor release in
which using it warns. Anything not listed in ``__all__`` is private.
"""

from __future__ import annotations

from .adapters import AdapterChoice, AdapterUnavailable
from .applications import (
    COMMON_STATES,
    COMMON_TRANSITIONS,
    ApplicationView,
    applicants_in_state,
    application_url,
    applications_of,
)
from .calculations import Calculation, Condition, Explainer, Explanation, Line, to_halala
from .codes import CodeSent, check_code, send_code
from .database import PluginDatabase, version_table
from .digits import normalize_digits
from .eligibility import EligibilityCheck
from .formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_hijri_date,
    format_number,
    format_percent,
    format_time,
)
from .host import Host, current_host, db_session, plugin_parameters, plugin_settings
from .i18n import (
    N_,
    SUPPORTED_LANGUAGES,
    CountryName,
    LocalText,
    TranslationDomain,
    country_name,
    current_language,
    in_language,
    text_in,
    text_in_all_languages,
)
from .identity import PersonView, current_person, login_required
from .jobs import ScheduledJob
from .markers import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec
from .parameters import DatedValue, Override, Parameter, ParameterSet, ParametersOn, parse_override
from .program import (
    ContactPoint,
    DeclarationError,
    FormStep,
    Program,
    Service,
    Transition,
    WorkflowState,
)
from .ratelimits import rate_limit
from .records import (
    RecordNotConfirmed,
    RecordState,
    RecordVersion,
    StandingRecord,
    confirmed_version,
    confirmed_versions,
    current_record,
    freeze,
    record_holder,
    record_url,
)
from .references import normalise_reference
from .registry import RegistryStanding, RegistryUnavailable, registry_confirms, registry_standing
from .services import ServiceHooks, ServiceRouter
from .settings import (
    Setting,
    SettingError,
    parse_bool,
    parse_decimal,
    parse_int,
    parse_list,
    parse_text,
)
from .web import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for

__version__ = "0.6.0"
"""The SDK's version; hooks say in which version they were added."""

__all__ = [
    "COMMON_STATES",
    "COMMON_TRANSITIONS",
    "ENTRY_POINT_GROUP",
    "N_",
    "PROJECT_NAME",
    "SUPPORTED_LANGUAGES",
    "AdapterChoice",
    "AdapterUnavailable",
    "ApplicationView",
    "Blueprint",
    "Calculation",
    "CodeSent",
    "Condition",
    "ContactPoint",
    "CountryName",
    "DatedValue",
    "DeclarationError",
    "EligibilityCheck",
    "Explainer",
    "Explanation",
    "FormStep",
    "Host",
    "Line",
    "LocalText",
    "Override",
    "Parameter",
    "ParameterSet",
    "ParametersOn",
    "PersonView",
    "PluginDatabase",
    "Program",
    "RecordNotConfirmed",
    "RecordState",
    "RecordVersion",
    "RegistryStanding",
    "RegistryUnavailable",
    "ScheduledJob",
    "Service",
    "ServiceHooks",
    "ServiceRouter",
    "Setting",
    "SettingError",
    "StandingRecord",
    "Transition",
    "TranslationDomain",
    "WorkflowState",
    "__version__",
    "abort",
    "applicants_in_state",
    "application_url",
    "applications_of",
    "check_code",
    "confirmed_version",
    "confirmed_versions",
    "country_name",
    "current_host",
    "current_language",
    "current_person",
    "current_record",
    "db_session",
    "flash",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_hijri_date",
    "format_number",
    "format_percent",
    "format_time",
    "freeze",
    "g",
    "hookimpl",
    "hookspec",
    "in_language",
    "login_required",
    "normalise_reference",
    "normalize_digits",
    "parse_bool",
    "parse_decimal",
    "parse_int",
    "parse_list",
    "parse_override",
    "parse_text",
    "plugin_parameters",
    "plugin_settings",
    "rate_limit",
    "record_holder",
    "record_url",
    "redirect",
    "registry_confirms",
    "registry_standing",
    "render_template",
    "request",
    "send_code",
    "session",
    "text_in",
    "text_in_all_languages",
    "to_halala",
    "url_for",
    "version_table",
]
