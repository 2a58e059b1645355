"""OPTIONS answers with the methods the address really accepts (issue 11 item 7), checked over the URL map.

For every address without variables, ``Allow`` must list exactly the methods
of the rules registered for it (with HEAD and OPTIONS, which Flask adds), a
method outside them gets 405 with the same ``Allow``, and an address no rule
has is a 404, for OPTIONS too.
"""

from __future__ import annotations

from collections import defaultdict

from flask import Flask

from tests.security.verdict import note

PROBE_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def static_rules(app: Flask) -> dict[str, set[str]]:
    """Each path without variables, and the methods its rules accept."""
    methods: dict[str, set[str]] = defaultdict(set)
    for rule in app.url_map.iter_rules():
        if rule.arguments or rule.endpoint == "static":
            continue
        methods[rule.rule] |= set(rule.methods or ())
    return methods


def allow(header: str | None) -> set[str]:
    return {part.strip() for part in (header or "").split(",") if part.strip()}


def test_options_lists_exactly_each_addresss_methods(app: Flask) -> None:
    client = app.test_client()
    checked = 0
    for path, methods in static_rules(app).items():
        answer = client.open(path, method="OPTIONS")
        assert answer.status_code == 200, path
        assert allow(answer.headers.get("Allow")) == methods, path
        for method in PROBE_METHODS:
            if method not in methods:
                refused = client.open(path, method=method)
                assert refused.status_code == 405, (path, method, refused.status_code)
                assert allow(refused.headers.get("Allow")) == methods, (path, method)
        checked += 1
    assert checked > 20
    note(__name__, f"{checked} addresses: OPTIONS lists exactly their methods; others 405 with Allow")


def test_programs_and_unknown_addresses(app: Flask) -> None:
    client = app.test_client()
    assert allow(client.open("/musaned/", method="OPTIONS").headers.get("Allow")) >= {"GET", "HEAD", "OPTIONS"}
    assert client.open("/no-such-program/", method="OPTIONS").status_code == 404
    assert client.open("/no-such-program/page", method="OPTIONS").status_code == 404
    assert client.get("/no-such-program/").status_code == 404
    assert client.get("/gosi/no-such-page").status_code == 404
    assert client.open("/gosi/no-such-page", method="OPTIONS").status_code == 404
