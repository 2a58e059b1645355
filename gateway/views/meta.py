"""``/-/plugins.json``: a machine-readable description of the enabled plugins.

Only serving plugins are described; a program that failed is listed by name
under ``unavailable`` without the reason, which stays in the logs and in
``gateway plugins list`` for operators.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, url_for

from bawaba_sdk.i18n import text_in_all_languages
from bawaba_sdk.program import Program

from ..host import GatewayHost
from ..plugin_manager import PluginRecord
from .home import unavailable_programs

meta_blueprint = Blueprint("meta", __name__)


@meta_blueprint.get("/-/plugins.json")
def plugins_json() -> Response:
    host: GatewayHost = current_app.extensions["gateway"]
    return jsonify(
        plugins=[describe_plugin(record) for record in host.plugins.serving()],
        unavailable=unavailable_programs(host),
    )


def describe_plugin(record: PluginRecord) -> dict[str, Any]:
    program = record.program
    return {
        "name": record.name,
        "distribution": record.distribution,
        "version": record.version,
        "status": str(record.status),
        "hooks": record.hooks,
        "routes": record.routes,
        "program": describe_program(program) if program is not None else None,
    }


def describe_program(program: Program) -> dict[str, Any]:
    return {
        "slug": program.slug,
        "name": text_in_all_languages(program.name),
        "summary": text_in_all_languages(program.summary),
        "url": url_for("programs.page", slug=program.slug, _external=False),
        "services": [
            {
                "slug": service.slug,
                "name": text_in_all_languages(service.name),
                "summary": text_in_all_languages(service.summary),
                "available": service.endpoint is not None,
            }
            for service in program.services
        ],
        "contacts": [
            {"kind": contact.kind, "value": contact.value, "label": text_in_all_languages(contact.label)}
            for contact in program.contacts
        ],
    }
