"""``/-/plugins.json`` describes the enabled plugins for machines."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_plugins_json_lists_the_three_enabled_plugins(client: FlaskClient) -> None:
    response = client.get("/-/plugins.json")
    assert response.status_code == 200
    body = response.get_json()
    assert [plugin["name"] for plugin in body["plugins"]] == ["musaned", "social_security", "gosi"]
    assert body["unavailable"] == []
    musaned = body["plugins"][0]
    assert musaned["status"] == "enabled"
    assert musaned["distribution"] == "bawaba-musaned"
    assert musaned["program"]["slug"] == "musaned"
    assert musaned["program"]["url"] == "/musaned/"
    assert musaned["program"]["name"]["en"] == "Musaned"
    assert musaned["program"]["name"]["ar"] == "مساند"
    assert "/musaned/" in musaned["routes"]
    assert "gateway_register_program" in musaned["hooks"]
    assert musaned["program"]["services"], "Musaned declares its services"
    for service in musaned["program"]["services"]:
        assert service["name"]["ar"] and service["name"]["en"]
        assert service["name"]["ar"] != service["name"]["en"]
    phones = {contact["value"] for contact in musaned["program"]["contacts"]}
    assert {"920002866", "19911"} <= phones


def test_plugins_json_is_the_same_in_every_language(client: FlaskClient) -> None:
    arabic = client.get("/-/plugins.json").get_json()
    english = client.get("/-/plugins.json", headers={"Accept-Language": "en"}).get_json()
    assert arabic == english
