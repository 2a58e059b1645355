"""The hooks a plugin can implement.

Every hook is named ``gateway_<verb>_<object>`` and grouped in families by
verb: ``register_*`` hooks declare what a plugin brings and are called once at
start-up; ``load_*`` hooks fill the database on an operator's command;
lifecycle hooks (``startup``) let a plugin check its surroundings.

Each docstring follows one template, which ``tests/test_hookspecs.py`` checks
and the plugin author's guide (``docs/plugin-guide.md``) repeats:

    <What it is for, one line.>

    When: <when the host calls it>.

    Parameters:
        <name>: <meaning>   (or "Parameters: none.")

    Returns: <what to return>.

    First result wins: <yes or no, and what that means here>.

    Added in: <SDK version>.

A plugin implements only the hooks it needs and only the parameters it uses:
pluggy passes each implementation the arguments it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .markers import hookspec

if TYPE_CHECKING:
    from decimal import Decimal

    from flask import Blueprint
    from sqlalchemy.orm import Session

    from .applications import ApplicationView
    from .calculations import Calculation
    from .database import PluginDatabase
    from .eligibility import EligibilityCheck
    from .identity import PersonView
    from .jobs import ScheduledJob
    from .parameters import ParameterSet
    from .program import FormStep, Program, Service
    from .records import StandingRecord
    from .settings import Setting


@hookspec
def gateway_register_program() -> Program:
    """Declare the program this plugin provides.

    When: once at start-up, before every other hook of the plugin; a plugin
    that returns nothing here is reported as broken and disabled.

    Parameters: none.

    Returns: a :class:`sdk.Program` with its slug, names, summary, services,
    contacts and translation domain.

    First result wins: no; each plugin answers for itself.

    Added in: 0.1.
    """
    raise NotImplementedError


@hookspec
def gateway_register_settings(program: Program) -> Iterable[Setting]:
    """Declare the configuration keys the plugin reads.

    When: at start-up, right after ``gateway_register_program``. The host
    reads each key from ``GATEWAY_<SLUG>_<NAME>`` (or ``<SLUG>_<NAME>`` in
    the mapping given to ``create_app``), parses it, and refuses to start with
    a message naming the variable when a value is invalid.

    Parameters:
        program: the program this plugin registered.

    Returns: an iterable of :class:`sdk.Setting`.

    First result wins: no; each plugin declares its own keys.

    Added in: 0.1.
    """
    raise NotImplementedError


@hookspec
def gateway_register_parameters(program: Program) -> ParameterSet | None:
    """Declare the program's dated parameters: its thresholds, amounts and rates, with dates and sources.

    When: at start-up, right after ``gateway_register_settings``. The host
    turns every parameter into an override setting
    ``GATEWAY_<SLUG>_P_<KEY>`` (``VALUE`` or ``VALUE@YYYY-MM-DD``, checked
    against the parameter's unit: a bad value stops the boot naming the
    variable), keeps the set with the overrides applied for the app
    (``sdk.plugin_parameters(slug)``), and publishes every value with its
    date and source on the page ``/programs/<slug>/rules``. A plugin that
    raises or returns anything else is disabled.

    Parameters:
        program: the program this plugin registered.

    Returns: an :class:`sdk.ParameterSet` (usually
    ``ParameterSet.for_package("bawaba_<name>")``), or ``None`` for a program
    without parameters.

    First result wins: no; each plugin declares its own parameters.

    Added in: 0.6.
    """
    raise NotImplementedError


@hookspec
def gateway_register_calculations(program: Program) -> Iterable[Calculation] | None:
    """Declare the calculations the program offers (an entitlement, a pension), each explained line by line.

    When: at start-up, after ``gateway_register_parameters``. The host serves
    each one at ``POST /api/v1/programs/<slug>/calculations/<name>`` (to
    anonymous callers when ``public``, rate limited, described in the OpenAPI
    document), computing it with the program's parameters as overridden by
    the operator. A plugin that raises, returns anything but
    :class:`sdk.Calculation` objects, or names two alike, is disabled.

    Parameters:
        program: the program this plugin registered.

    Returns: an iterable of :class:`sdk.Calculation`, or ``None``.

    First result wins: no; each plugin declares its own calculations.

    Added in: 0.6.
    """
    raise NotImplementedError


@hookspec
def gateway_register_records(program: Program) -> Iterable[StandingRecord] | None:
    """Declare the standing records the program keeps per owner (a household's profile), edited section by section.

    When: at start-up, after ``gateway_register_calculations``. The host
    serves each record's pages under ``/records/<slug>/<name>/`` (a page per
    section, saved in a draft as the person goes, then a confirm step that
    checks every section again), keeps a version per confirmation (data,
    author, time, changed fields) and answers ``sdk.current_record``,
    ``sdk.confirmed_version`` and ``sdk.freeze``. A plugin that raises,
    returns anything but :class:`sdk.StandingRecord` objects, or names two
    alike, is disabled.

    Parameters:
        program: the program this plugin registered.

    Returns: an iterable of :class:`sdk.StandingRecord`, or ``None``.

    First result wins: no; each plugin declares its own records.

    Added in: 0.6.
    """
    raise NotImplementedError


@hookspec
def gateway_register_jobs(program: Program) -> Iterable[ScheduledJob] | None:
    """Declare the program's scheduled work (a monthly cycle, reminders), which the host's workers run.

    When: at start-up, after the plugin's settings were read (a job's
    schedule may come from one of them). The host registers each job on its
    task queue as ``<slug>.<name>``: ``gateway worker`` runs ``run(slot)`` at
    each slot of the schedule, once across all workers, retrying one that
    raises; ``gateway worker run-job <slug>.<name>`` runs it by hand. A
    plugin that raises, returns anything but :class:`sdk.ScheduledJob`
    objects, names two alike or gives a schedule that is not five crontab
    fields (or ``off``) is disabled.

    Parameters:
        program: the program this plugin registered.

    Returns: an iterable of :class:`sdk.ScheduledJob`, or ``None``.

    First result wins: no; each plugin declares its own jobs.

    Added in: 0.6.
    """
    raise NotImplementedError


@hookspec
def gateway_register_database(program: Program) -> PluginDatabase | None:
    """Declare the plugin's tables and the folder of its Alembic migrations.

    When: at start-up and whenever an operator runs ``gateway db upgrade``.
    Every table name must start with ``<slug>_``; the host checks it.

    Parameters:
        program: the program this plugin registered.

    Returns: a :class:`sdk.PluginDatabase`, or ``None`` for a plugin without tables.

    First result wins: no; each plugin declares its own tables.

    Added in: 0.1.
    """
    raise NotImplementedError


@hookspec
def gateway_register_blueprint(program: Program) -> Blueprint | None:
    """Give the host the plugin's pages, mounted under ``/<slug>/``.

    When: at start-up, after the settings were read. The blueprint's own
    ``url_prefix`` is ignored; the host mounts it at the program's slug, and
    renders its templates with the plugin's translations over the host's.

    Parameters:
        program: the program this plugin registered.

    Returns: an :class:`sdk.Blueprint` whose ``index`` view is the program
    page, or ``None`` when the host's generic program page is enough.

    First result wins: no; each plugin mounts its own blueprint.

    Added in: 0.1.
    """
    raise NotImplementedError


@hookspec
def gateway_startup(program: Program, settings: Mapping[str, Any]) -> None:
    """Check the plugin's surroundings before the portal serves its pages.

    When: at start-up, after every register hook of every plugin. A plugin
    that raises here is reported, logged and shown as unavailable while the
    rest of the portal serves (unless ``GATEWAY_PLUGINS_STRICT`` is set).

    Parameters:
        program: the program this plugin registered.
        settings: the plugin's parsed settings, by setting name.

    Returns: nothing.

    First result wins: no; every plugin is called.

    Added in: 0.1.
    """


@hookspec
def gateway_person_changed(person: PersonView, changed: frozenset[str]) -> None:
    """React to a change in a person's shared identity (contact details, names, ...).

    When: right after the change is committed (today: a confirmed new
    mobile number or email address). The person told the government once; each
    program hears it here. A plugin that raises is logged and the others are
    still called.

    Parameters:
        person: the person as they are now.
        changed: the names of the fields that changed, e.g. ``{"mobile"}``.

    Returns: nothing.

    First result wins: no; every plugin is told.

    Added in: 0.2.
    """


@hookspec(firstresult=True)
def gateway_validate_step(
    program: Program,
    service: Service,
    step: FormStep,
    data: Mapping[str, Any],
    answers: Mapping[str, Any],
    person: PersonView,
) -> Mapping[str, str] | None:
    """Check one step's answers beyond its schema: across fields, or against outside records.

    When: after the step's marshmallow schema accepted ``data``, every time
    the person saves that step and again when the application is submitted.
    Only the plugin that owns ``program`` is called.

    Parameters:
        program: the plugin's program.
        service: the service being applied for.
        step: the step being checked.
        data: that step's answers, as the schema loaded them.
        answers: every step's answers so far, by step slug.
        person: the signed-in applicant.

    Returns: field name -> message (already translated) for each problem, or
    ``None`` / an empty mapping when the step is acceptable.

    First result wins: yes; only the owning plugin is called, and its answer is the answer.

    Added in: 0.3.
    """


@hookspec(firstresult=True)
def gateway_application_transitioned(
    program: Program, application: ApplicationView, source: str, target: str, actor: str
) -> Mapping[str, Any] | None:
    """React to an application moving from one state to another (e.g. issue a visa on approval).

    When: inside the transaction that records the transition, before it is
    committed; a plugin that raises makes the transition fail and roll back,
    so the record and the plugin's reaction stay consistent. Only the plugin
    that owns ``program`` is called.

    Parameters:
        program: the plugin's program.
        application: the application as it is after the move.
        source: the state it left.
        target: the state it entered.
        actor: who moved it: ``person:<id>``, ``staff:<id>`` or ``system``.

    Returns: values to store in the application's ``extra`` (shown on its
    page, e.g. ``{"visa_number": "..."}``), or ``None``.

    First result wins: yes; only the owning plugin is called, and its answer is the answer.

    Added in: 0.3.
    """


@hookspec(firstresult=True)
def gateway_check_eligibility(
    program: Program, service: Service, person: PersonView
) -> Sequence[EligibilityCheck] | None:
    """Say whether the person may use a service now, rule by rule (an active account, no unpaid fines).

    When: on every page of the service's form, before the "check your
    answers" page, on submission, and on the JSON API's draft and submit
    calls. Only the plugin that owns ``program`` is called. When any check
    fails the host shows all the checks with their details and refuses the
    form with a 403, so nobody skips a rule by posting to a later step.

    Parameters:
        program: the plugin's program.
        service: the service the person wants to use.
        person: the signed-in person.

    Returns: one :class:`sdk.EligibilityCheck` per rule, passed or not (the
    passed ones are shown too, so the person sees what was checked), or
    ``None`` when the service has no conditions. Raise
    :class:`sdk.RegistryUnavailable` when an outside record cannot be read:
    the person is told to try again later.

    First result wins: yes; only the owning plugin is called, and its answer is the answer.

    Added in: 0.4.
    """


@hookspec(firstresult=True)
def gateway_application_fee(
    program: Program, service: Service, answers: Mapping[str, Any], person: PersonView
) -> Decimal | None:
    """Work out a fee that depends on the answers (a share of a contract's value, say).

    When: on the "check your answers" page (to show the fee) and on
    submission (to bill it, in the same transaction as the application).
    Only the plugin that owns ``program`` is called. A service whose fee is
    fixed declares ``fee_setting`` instead and needs no hook.

    Parameters:
        program: the plugin's program.
        service: the service being applied for.
        answers: every step's checked answers, by step slug.
        person: the signed-in applicant.

    Returns: the fee in SAR (a positive ``Decimal`` with at most two
    decimals; zero means no bill), or ``None`` to use the service's
    ``fee_setting``.

    First result wins: yes; only the owning plugin is called, and its answer is the answer.

    Added in: 0.4.
    """


@hookspec
def gateway_load_demo_data(program: Program, session: Session, settings: Mapping[str, Any]) -> Iterable[str] | None:
    """Fill the plugin's tables with fictional demonstration data.

    When: ``gateway demo load`` (and ``make run``) after migrations. It must
    be safe to run twice: load what is missing, never duplicate.

    Parameters:
        program: the program this plugin registered.
        session: a SQLAlchemy session; the host commits it when every
            plugin has loaded, and rolls back the plugin's part if it raises.
        settings: the plugin's parsed settings, by setting name.

    Returns: short lines saying what was loaded (printed to the operator),
    or ``None``.

    First result wins: no; every plugin loads its own data.

    Added in: 0.1.
    """
