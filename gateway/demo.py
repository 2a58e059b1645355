"""Loading demonstration data: each enabled plugin fills its own tables.

Each plugin loads inside a savepoint, so one plugin's failure rolls back only
its own part and is reported, and the others' data is still committed.
"""

from __future__ import annotations

from .hooks import HookFailed
from .host import GatewayHost


def load_demo_data(host: GatewayHost) -> list[str]:
    """Run ``gateway_load_demo_data`` for every serving plugin; return report lines."""
    report: list[str] = []
    with host.database.session_factory() as session:
        for record in host.plugins.serving():
            program = record.program
            if program is None:
                continue
            savepoint = session.begin_nested()
            try:
                lines = host.plugins.hooks.load_demo_data(
                    record.name, program=program, session=session, settings=record.settings
                )
                savepoint.commit()
            except HookFailed as failed:
                savepoint.rollback()
                report.append(f"{program.slug}: FAILED: {type(failed.error).__name__}: {failed.error}")
                continue
            for line in lines or []:
                report.append(f"{program.slug}: {line}")
        session.commit()
    if not report:
        report.append("no enabled plugin has demo data to load")
    return report
