"""Every hook the host calls, through one typed facade with one isolation policy (after tox's plugin manager).

Why: the host used to call a plugin's function itself (``call_plugin``) and
wrote the error policy again at each call site, so pluggy's own caller (hook
wrappers, ``tryfirst``/``trylast``, tracing and call monitoring) was bypassed
and a plugin raising in ``gateway_validate_step`` turned the page into a 500.

Here each hook has one typed method. A call goes through pluggy's caller
restricted to the plugins concerned (``PluginManager.subset_hook_caller``:
only the owning program's plugin, plus any plugin that is not a program, such
as a host wrapper), so wrappers and ordering work as pluggy documents. The
policy when a plugin's hook raises is the same everywhere:

- it is logged (with the traceback) and audited (``plugin.hook_failed``, in a
  transaction of its own once the request's has ended, so a rolled-back
  request keeps the record);
- the call raises :class:`HookFailed`; a page that meets it answers 503
  ("this service is temporarily unavailable", in the visitor's language;
  JSON for the API) instead of a 500 (:func:`init_hook_errors`), and call
  sites with a better answer (eligibility unknown, the workflow refusing)
  catch it first;
- hooks every plugin hears (``person_changed``) call each plugin on its own:
  one failing plugin is skipped, the others still hear.

Start-up hooks use the same caller; their failures disable the plugin
(``plugin_boot``), since a program that cannot declare itself cannot serve.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, current_app, g, has_request_context
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bawaba_sdk.applications import ApplicationView
    from bawaba_sdk.identity import PersonView
    from bawaba_sdk.program import FormStep, Program, Service

    from .plugin_manager import GatewayPluginManager

logger = logging.getLogger("gateway.hooks")

AUDIT_EVENT = "plugin.hook_failed"
PENDING_KEY = "gateway_plugin_failures"
"""Where a request keeps its plugins' failures until they are audited (``flask.g``)."""
UNAVAILABLE_TITLE = _l("This service is temporarily unavailable")
UNAVAILABLE_MESSAGE = _l("Please try again later. Other services of the portal are still available.")


class HookFailed(Exception):  # noqa: N818 - the name says what happened
    """A plugin's hook raised; already logged and audited. Pages answer 503 for the program."""

    def __init__(self, plugin: str, hook: str, error: BaseException) -> None:
        super().__init__(f"plugin {plugin!r} raised in {hook}: {type(error).__name__}: {error}")
        self.plugin = plugin
        self.hook = hook
        self.error = error


class PluginHooks:
    """The typed facade: one method per hook, each through pluggy's caller, one failure policy."""

    def __init__(self, manager: GatewayPluginManager) -> None:
        self.manager = manager

    # -- the one way a hook is called ---------------------------------------------------

    def call(self, plugin: str, hook: str, **kwargs: Any) -> Any:
        """``plugin``'s answer to ``hook`` (``None`` if it has none); raises :class:`HookFailed`.

        pluggy's caller over this plugin and the non-program plugins (wrappers)
        does the call; a hook without ``firstresult`` gives a list, of which
        the plugin's one answer is taken.
        """
        pm = self.manager.pm
        own = pm.get_plugin(plugin)
        if own is None:
            return None
        others = [
            registered
            for name, registered in pm.list_name_plugin()
            if registered is not own and name in self.manager.records
        ]
        caller = pm.subset_hook_caller(hook, remove_plugins=others)
        try:
            answer = caller(**kwargs)
        except Exception as exc:
            self._failed(plugin, hook, exc)
            raise HookFailed(plugin, hook, exc) from exc
        spec = caller.spec
        if spec is not None and spec.opts.get("firstresult"):
            return answer
        return answer[0] if answer else None

    def each(self, hook: str, **kwargs: Any) -> dict[str, Any]:
        """Every serving plugin's answer to ``hook`` (plugin -> answer), each called alone; failures are skipped."""
        answers: dict[str, Any] = {}
        for record in self.manager.serving():
            try:
                answers[record.name] = self.call(record.name, hook, **kwargs)
            except HookFailed:
                continue
        return answers

    def _failed(self, plugin: str, hook: str, error: BaseException) -> None:
        """Log now; audit when the request ends (:func:`audit_failures`), whatever becomes of its transaction."""
        logger.error("plugin %s raised in %s", plugin, hook, exc_info=error)
        if has_request_context():  # at start-up or in a command the log (and the plugin's record) say it
            g.setdefault(PENDING_KEY, []).append((plugin, hook, type(error).__name__))

    def owner_of(self, program_slug: str) -> str | None:
        """The serving plugin whose program is ``program_slug``."""
        for record in self.manager.serving():
            if record.program is not None and record.program.slug == program_slug:
                return record.name
        return None

    # -- request-time hooks, typed ------------------------------------------------------

    def validate_step(
        self,
        plugin: str,
        *,
        program: Program,
        service: Service,
        step: FormStep,
        data: Mapping[str, Any],
        answers: Mapping[str, Any],
        person: PersonView,
    ) -> Mapping[str, str] | None:
        answer: Mapping[str, str] | None = self.call(
            plugin,
            "gateway_validate_step",
            program=program,
            service=service,
            step=step,
            data=data,
            answers=answers,
            person=person,
        )
        return answer

    def check_eligibility(self, plugin: str, *, program: Program, service: Service, person: PersonView) -> Any:
        return self.call(plugin, "gateway_check_eligibility", program=program, service=service, person=person)

    def application_fee(
        self, plugin: str, *, program: Program, service: Service, answers: Mapping[str, Any], person: PersonView
    ) -> Any:
        return self.call(
            plugin, "gateway_application_fee", program=program, service=service, answers=answers, person=person
        )

    def application_transitioned(
        self, plugin: str, *, program: Program, application: ApplicationView, source: str, target: str, actor: str
    ) -> Any:
        return self.call(
            plugin,
            "gateway_application_transitioned",
            program=program,
            application=application,
            source=source,
            target=target,
            actor=actor,
        )

    def person_changed(self, person: PersonView, changed: frozenset[str]) -> list[str]:
        """Tell every serving plugin; the names of those that raised (the others still heard)."""
        told = self.each("gateway_person_changed", person=person, changed=changed)
        return [record.name for record in self.manager.serving() if record.name not in told]

    def load_demo_data(
        self, plugin: str, *, program: Program, session: Session, settings: Mapping[str, Any]
    ) -> Iterable[str] | None:
        lines: Iterable[str] | None = self.call(
            plugin, "gateway_load_demo_data", program=program, session=session, settings=settings
        )
        return lines


def audit_failures(_exc: BaseException | None = None) -> None:
    """Audit the request's plugin failures in a transaction of their own, once the request's own has ended.

    After the request: its transaction may be rolled back (a refused
    transition), and on SQLite it holds the write lock until it ends.
    """
    failures: list[tuple[str, str, str]] | None = g.pop(PENDING_KEY, None)
    if not failures or "gateway" not in current_app.extensions:
        return
    from .audit.log import record as audit

    database = current_app.extensions["gateway"].database
    database.release_request_session()
    try:
        with database.session_factory() as session:
            for plugin, hook, error in failures:
                audit(session, AUDIT_EVENT, actor=f"plugin:{plugin}", hook=hook, error=error)
            session.commit()
    except Exception:  # the audit store failing must not hide the plugin's failure (it is logged already)
        logger.exception("could not audit the failures of plugins: %s", failures)


def handle_hook_failed(error: HookFailed) -> Response:
    """A page that met a plugin's failure: 503 for that program, in the visitor's language (JSON for the API)."""
    from .errors import error_response

    return error_response(503, str(UNAVAILABLE_TITLE), str(UNAVAILABLE_MESSAGE), "program_unavailable")


def init_hook_errors(app: Flask) -> None:
    """Register the one answer to :class:`HookFailed` that reaches Flask, and the audit of failures."""
    app.register_error_handler(HookFailed, handle_hook_failed)
    app.teardown_request(audit_failures)


__all__ = ["AUDIT_EVENT", "HookFailed", "PluginHooks", "handle_hook_failed", "init_hook_errors"]
