"""The application factory: one call builds a complete, independent portal.

``create_app(config)`` reads the configuration (the mapping, then ``GATEWAY_*``
variables, then defaults), prepares the instance folder and the database,
loads the enabled plugins, mounts their pages and registers the host's own.
Nothing lives in module globals, so tests can build as many apps as they like.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from bawaba_sdk.host import HOST_EXTENSION

from .api import init_api
from .applications import init_applications
from .applications.models import Application
from .audit.rollbacks import init_rollback_audit
from .backoffice import init_backoffice
from .backoffice.access import STAFF_KEY
from .calculations import init_calculations
from .database import Database, default_database_url
from .documents import init_documents
from .errors import init_errors
from .forms import init_forms
from .forms.models import Draft
from .hooks import init_hook_errors
from .host import GatewayHost
from .i18n import init_i18n
from .identity.blueprint import account_blueprint
from .identity.codes import FLOW_PREFIX
from .identity.current import PERSON_KEY, current_person
from .identity.models import Person
from .identity.passwords import PasswordHashing
from .instance import ensure_instance_folder, resolve_secret_key
from .jobs import register_host_jobs, register_plugin_jobs
from .json_depth import init_json_depth_guard
from .logging_setup import configure_logging
from .messaging.extension import init_messaging
from .notifications import init_notifications
from .notifications.models import Notification
from .oidc import init_oidc
from .oidc.backchannel import init_backchannel_logout
from .otp.service import EXTENSION_KEY as OTP_EXTENSION
from .otp.service import OneTimeCodes
from .pagecache import init_page_cache
from .parameters import init_parameters
from .payments.extension import init_payments
from .personal_pages import init_personal_pages
from .plugin_boot import boot_plugins
from .plugin_manager import GatewayPluginManager
from .production import check_production
from .ratelimit import init_rate_limits
from .records import init_records
from .registry.adapter import load_registry_adapter
from .request_id import init_request_id
from .security_headers import init_security_headers
from .sessions import init_sessions
from .settings import host_setting_names, load_host_settings
from .tasks import init_tasks
from .version import __version__
from .views.about import about_blueprint, favicon_blueprint
from .views.health import health_blueprint
from .views.home import home_blueprint
from .views.meta import meta_blueprint
from .views.programs import init_program_routes, mount_plugin_blueprints


def create_app(config: Mapping[str, Any] | None = None, *, ephemeral_secret_key: bool = False) -> Flask:
    """Build the portal. ``config`` overrides ``GATEWAY_*`` variables, key for key.

    Keys are the variable names without ``GATEWAY_`` (``DATABASE_URL``,
    ``PLUGINS``, ``MUSANED_VISA_FEE``, ...); any other key (``TESTING``, ...)
    goes into Flask's config as it is. Raises :class:`ConfigError` with every
    problem listed when the configuration cannot be used. ``ephemeral_secret_key``
    lets production without a secret key build an app on a throwaway key, for
    the command-line commands that neither serve nor sign (see ``gateway.cli``);
    those are not held to production's other refusals either (sandbox adapters,
    rate limits without Redis: :mod:`gateway.production`).
    """
    overrides = dict(config or {})
    settings = load_host_settings(overrides)
    configure_logging(settings["LOG_LEVEL"])

    instance_path = Path(settings["INSTANCE_PATH"] or _default_instance_path()).resolve()
    app = Flask("gateway", instance_path=str(instance_path), instance_relative_config=True)
    _apply_flask_config(app, settings, overrides, instance_path, ephemeral_secret_key)
    if not ephemeral_secret_key:  # the commands that serve or sign; help and read-only commands may look around
        check_production(settings)

    database = Database(
        settings["DATABASE_URL"] or default_database_url(ensure_instance_folder(instance_path)),
        keep_connections=settings["ENV"] != "testing",
    )
    database.init_app(app)
    plugins = GatewayPluginManager(settings["PLUGINS"], strict=settings["PLUGINS_STRICT"])
    host = GatewayHost(settings, instance_path, database, plugins, load_registry_adapter(app.config))
    app.extensions[HOST_EXTENSION] = host
    app.extensions[OTP_EXTENSION] = OneTimeCodes.from_config(app.config)
    app.extensions["gateway.passwords"] = PasswordHashing(
        PasswordHasher(
            time_cost=settings["ARGON2_TIME_COST"],
            memory_cost=settings["ARGON2_MEMORY_KIB"],
            parallelism=settings["ARGON2_PARALLELISM"],
        )
    )

    init_request_id(app)
    init_i18n(app)
    init_errors(app)
    init_hook_errors(app)
    init_rollback_audit(app, person_key=PERSON_KEY, staff_key=STAFF_KEY)
    init_security_headers(app)
    init_json_depth_guard(app)
    init_personal_pages(app, signed_in_keys=(PERSON_KEY, STAFF_KEY), flow_prefix=FLOW_PREFIX)
    CSRFProtect(app)
    init_sessions(app)
    init_oidc(app)
    init_rate_limits(app)
    init_tasks(app)
    init_backchannel_logout(app)
    init_messaging(app)
    init_documents(app)
    init_payments(app)
    init_applications(app)
    init_forms(app)
    init_records(app)
    init_api(app)
    init_backoffice(app)
    init_notifications(app)
    init_parameters(app)
    init_calculations(app)
    register_host_jobs(app)
    if settings["PROXY_COUNT"]:
        proxies = settings["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    app.jinja_env.globals["gateway_programs"] = host.enabled_programs
    app.jinja_env.globals["gateway_current_person"] = current_person
    for blueprint in (
        home_blueprint,
        health_blueprint,
        meta_blueprint,
        account_blueprint,
        about_blueprint,
        favicon_blueprint,
    ):
        app.register_blueprint(blueprint)

    plugins.load(overrides.get("PLUGIN_ENTRY_POINTS"))
    with app.app_context():
        healthy_blueprints = boot_plugins(plugins, overrides)
    mount_plugin_blueprints(app, plugins, healthy_blueprints)
    register_plugin_jobs(app, plugins)
    init_program_routes(app, plugins)  # last: its /<slug>/ rules yield to the plugins' own

    # The rows the cached pages (the dashboard and its header) show, each with the id of its person.
    shown_on_person_pages = {Application: "person_id", Draft: "person_id", Notification: "person_id", Person: "id"}
    code_versions = [f"gateway {__version__}", *(f"{r.name} {r.version}" for r in plugins.serving())]
    init_page_cache(app, database.session_factory, shown_on_person_pages, code_versions)
    return app


def _default_instance_path() -> Path:
    """``./instance`` under the working directory, like ``flask run`` expects."""
    return Path(os.getcwd()) / "instance"


def _apply_flask_config(
    app: Flask, settings: Mapping[str, Any], overrides: Mapping[str, Any], instance_path: Path, ephemeral_key: bool
) -> None:
    environment = settings["ENV"]
    for name, value in settings.items():
        app.config[f"GATEWAY_{name}"] = value
    app.config.update(
        SECRET_KEY=resolve_secret_key(
            settings["SECRET_KEY"], environment, instance_path, ephemeral_allowed=ephemeral_key
        ),
        TESTING=environment == "testing",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=environment == "production",
        SESSION_COOKIE_NAME="bawaba_session",
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
    )
    host_keys = host_setting_names()
    for key, value in overrides.items():
        if key not in host_keys and key.isupper() and not key.startswith("PLUGIN_ENTRY_POINTS"):
            app.config[key] = value
