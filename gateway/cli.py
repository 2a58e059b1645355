"""The ``gateway`` command: run, migrate, load demo data and inspect plugins.

Built on Flask's CLI group, so ``gateway run``, ``gateway routes`` and
``gateway shell`` come for free and every command gets an app built by
``create_app()`` from the same ``GATEWAY_*`` environment as the server.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo

from bawaba_sdk.i18n import text_in

from . import migrate
from .app import create_app
from .audit import cli as audit_cli
from .backoffice import cli as backoffice_cli
from .documents import cli as documents_cli
from .forms import cli as forms_cli
from .host import GatewayHost
from .housekeeping import housekeep, purge_drafts, purge_orphan_files
from .messaging import cli as messaging_cli
from .oidc import cli as oidc_cli
from .payments import cli as payments_cli
from .plugin_manager import PluginLoadError, PluginRecord
from .registry import cli as registry_cli
from .sessions import cli as sessions_cli
from .settings import ConfigError
from .tasks import cli as tasks_cli

COMMANDS_NEEDING_THE_SECRET_KEY = frozenset({"run", "worker", "shell"})
"""Commands that serve pages, send messages or run arbitrary code: they sign with the real key or not at all."""
_COMMAND_META = "gateway.command"


def _create_app_for_cli() -> Any:
    """The app for the command being run.

    Help and the commands that only read or tidy (``plugins list``, ``outbox``,
    ``db current``, ...) never sign anything, so in production without a secret
    key they run on a throwaway one; ``run``, ``worker`` and ``shell`` refuse
    with the configuration's one-line message (printed by :func:`main`).
    """
    context = click.get_current_context(silent=True)
    command = context.find_root().meta.get(_COMMAND_META) if context is not None else None
    return create_app(ephemeral_secret_key=command not in COMMANDS_NEEDING_THE_SECRET_KEY)


class GatewayGroup(FlaskGroup):
    """Flask's group, remembering which command runs and listing commands without a traceback."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        ctx.find_root().meta.setdefault(_COMMAND_META, name)
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except (ConfigError, PluginLoadError) as exc:
            # Flask would print a traceback and go on; the built-in commands are still listed.
            click.echo(f"gateway: the portal's own commands are not listed: {exc}", err=True)
            return sorted(click.Group.list_commands(self, ctx))
        return super().list_commands(ctx)


@click.group(
    cls=GatewayGroup, create_app=_create_app_for_cli, add_version_option=False, load_dotenv=False, set_debug_flag=False
)
def cli() -> None:
    """Bawaba citizen-services gateway."""


def _host() -> GatewayHost:
    host: GatewayHost = current_app.extensions["gateway"]
    return host


# -- gateway plugins ---------------------------------------------------------------------


@cli.group()
def plugins() -> None:
    """Inspect the installed and enabled plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def plugins_list(as_json: bool) -> None:
    """Every installed or configured plugin: version, program, hooks, routes, status and why."""
    host = _host()
    records = sorted(host.plugins.records.values(), key=lambda record: record.name)
    if as_json:
        click.echo(json.dumps([_record_as_dict(record) for record in records], ensure_ascii=False, indent=2))
        return
    for record in records:
        click.echo(_describe(record))


def _record_as_dict(record: PluginRecord) -> dict[str, Any]:
    program = record.program
    return {
        "name": record.name,
        "distribution": record.distribution,
        "version": record.version,
        "entry_point": record.entry_point,
        "status": str(record.status),
        "reason": record.reason,
        "program": None
        if program is None
        else {
            "slug": program.slug,
            "name": {"ar": text_in(program.name, "ar"), "en": text_in(program.name, "en")},
        },
        "hooks": record.hooks,
        "routes": record.routes,
    }


def _describe(record: PluginRecord) -> str:
    program = record.program
    status = str(record.status) + (f" ({record.reason})" if record.reason else "")
    lines = [
        f"{record.name} {record.version or ''}".rstrip(),
        f"  status:   {status}",
        f"  package:  {record.distribution or '-'} ({record.entry_point or 'not installed'})",
    ]
    if program is not None:
        lines.append(f"  program:  {program.slug}: {text_in(program.name, 'en')} / {text_in(program.name, 'ar')}")
    lines.append(f"  hooks:    {', '.join(record.hooks) or '-'}")
    lines.append(f"  routes:   {', '.join(record.routes) or '-'}")
    return "\n".join(lines)


# -- gateway db --------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Database migrations of the host and every enabled plugin."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration: the host's, then each enabled plugin's."""
    host = _host()
    for line in migrate.upgrade(host.database.engine, host.migration_components()):
        click.echo(line)


@db.command("current")
def db_current() -> None:
    """Show each component's revision and whether it is at its head."""
    host = _host()
    for component in host.migration_components():
        current = migrate.current_revisions(host.database.engine, component)
        heads = migrate.head_revisions(component)
        state = "current" if current == heads else f"pending (head {', '.join(sorted(heads))})"
        click.echo(f"{component.name}: {', '.join(sorted(current)) or '(empty)'} {state}")


@db.command("revision")
@click.option(
    "--component",
    "component_name",
    default="gateway",
    show_default=True,
    help="The host ('gateway') or a plugin's program slug.",
)
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.option("--empty", is_flag=True, help="Write an empty revision instead of comparing models.")
def db_revision(component_name: str, message: str, empty: bool) -> None:
    """Write a new migration for the host or one plugin (compares models to the database)."""
    host = _host()
    try:
        component = host.component(component_name)
    except KeyError as exc:
        raise click.BadParameter(f"no enabled component {component_name!r}", param_hint="--component") from exc
    migrate.make_revision(host.database.engine, component, message, autogenerate=not empty)


# -- gateway demo ------------------------------------------------------------------------


@cli.group()
def demo() -> None:
    """Fictional demonstration data."""


@demo.command("load")
def demo_load() -> None:
    """Load every enabled plugin's demo data (safe to run twice)."""
    from .demo import load_demo_data

    host = _host()
    pending = [c.name for c in host.migration_components() if not migrate.is_current(host.database.engine, c)]
    if pending:
        raise click.ClickException(f"migrations are pending for {', '.join(pending)}: run 'gateway db upgrade' first")
    for line in load_demo_data(host):
        click.echo(line)


@cli.command("housekeeping")
@click.option(
    "--keep-messages-days",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Delivered or failed outbox messages older than this are deleted.",
)
def housekeeping(keep_messages_days: int) -> None:
    """Delete what has served its purpose, from expired sessions to OIDC rows that can no longer be used.

    Expired sessions and codes, old messages, OpenID Connect tokens, codes and
    nonces past replay (``oidc/purge.py``), and, as a run by hand of the
    ``forms.purge_drafts`` and ``documents.purge_orphans`` jobs, stale drafts
    and orphaned files. ``gateway worker`` runs all of these on their schedules.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    report = housekeep(app, now=now, keep_messages_days=keep_messages_days)
    drafts_removed = purge_drafts(app, now=now)
    orphans_removed = purge_orphan_files(app, now=now)
    click.echo(
        f"{report.sessions} expired sessions, {report.codes} old codes, {report.messages} old messages, "
        f"{drafts_removed} stale drafts, {orphans_removed} orphaned files, {report.oidc_tokens} spent OIDC tokens, "
        f"{report.oidc_codes} authorization codes, {report.oidc_nonces} nonces removed"
    )


cli.add_command(registry_cli.group, "registry")
cli.add_command(messaging_cli.group, "outbox")
cli.add_command(oidc_cli.group, "oidc")
cli.add_command(sessions_cli.group, "sessions")
cli.add_command(audit_cli.group, "audit")
cli.add_command(documents_cli.group, "documents")
cli.add_command(payments_cli.group, "payments")
cli.add_command(forms_cli.group, "forms")
cli.add_command(backoffice_cli.group, "staff")
cli.add_command(tasks_cli.group, "worker")


def main() -> None:
    """Entry point of the ``gateway`` console script."""
    try:
        cli.main(prog_name="gateway")
    except (ConfigError, PluginLoadError) as exc:
        click.echo(f"gateway: cannot start: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
