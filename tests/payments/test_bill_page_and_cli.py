"""The citizen's bill page (own bills only), the sandbox button, the CLI and the migration."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import MetaData, inspect, select

from gateway import migrate
from gateway.applications.models import Application
from gateway.payments.cli import group
from gateway.payments.models import EXPIRED, PAID, UNPAID, Bill
from tests.identity.conftest import AHMED, RAJESH, Portal
from tests.payments.conftest import RAJESH_ID, build_payments_app, load_bill, new_bill

EN = {"Accept-Language": "en"}


def _rajesh_mobile(app: Flask) -> str:
    record = app.extensions["gateway"].registry.lookup(RAJESH_ID)
    assert record is not None
    return str(record.mobile)


def test_the_owner_sees_the_bill_with_amount_due_date_status_and_instructions(pay_app: Flask) -> None:
    portal = Portal(pay_app)
    client = portal.client()
    portal.register(client, AHMED)
    number = new_bill(pay_app, amount="2000")
    page = client.get(f"/payments/bills/{number}", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert number in html and "2,000.00 SAR" in html
    assert load_bill(pay_app, number).due_at.date().isoformat() in html
    assert "Waiting for payment" in html and "payment sandbox" in html
    assert 'id="sandbox-pay"' in html
    assert "TOLL-" in html  # the application's reference
    assert page.headers["Cache-Control"] == "no-store"
    arabic = client.get(f"/payments/bills/{number}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "ر.س" in arabic


def test_someone_else_s_bill_is_404_and_signed_out_visitors_are_sent_to_sign_in(pay_app: Flask) -> None:
    ahmeds = new_bill(pay_app)  # Ahmed has no account yet: a bill is still his alone
    portal = Portal(pay_app)
    anonymous = portal.client().get(f"/payments/bills/{ahmeds}")
    assert anonymous.status_code == 303 and "/account/sign-in" in anonymous.headers["Location"]
    rajesh = portal.client()
    portal.register(rajesh, RAJESH, mobile=_rajesh_mobile(pay_app), username="rajesh86", email="rajesh@example.com")
    assert rajesh.get(f"/payments/bills/{ahmeds}").status_code == 404
    assert rajesh.post(f"/payments/bills/{ahmeds}/sandbox-pay").status_code == 404
    assert load_bill(pay_app, ahmeds).status == UNPAID
    for junk in ("000000000000", "abc", "1" * 40, "%3Cscript%3E"):
        assert rajesh.get(f"/payments/bills/{junk}").status_code == 404


def test_the_sandbox_button_pays_the_bill_once(pay_app: Flask) -> None:
    portal = Portal(pay_app)
    client = portal.client()
    portal.register(client, AHMED)
    number = new_bill(pay_app)
    paid = client.post(f"/payments/bills/{number}/sandbox-pay", headers=EN)
    assert paid.status_code == 303 and paid.headers["Location"].endswith(f"/payments/bills/{number}")
    page = client.get(f"/payments/bills/{number}", headers=EN).get_data(as_text=True)
    assert "Payment received" in page and 'data-status="paid"' in page and "sandbox-pay" not in page
    bill = load_bill(pay_app, number)
    assert bill.status == PAID and bill.paid_source == "sandbox"
    with pay_app.extensions["gateway"].database.session_factory() as db:
        assert db.scalars(select(Application)).one().state == "fee_paid"
    client.post(f"/payments/bills/{number}/sandbox-pay", headers=EN)
    assert "already paid" in client.get(f"/payments/bills/{number}", headers=EN).get_data(as_text=True)


def test_there_is_no_sandbox_button_in_production(make_app: Callable[..., Flask]) -> None:
    app = build_payments_app(
        make_app,
        ENV="production",
        SECRET_KEY="a-production-secret-of-more-than-32-chars",
        STAGING=True,
        RATE_LIMITS_IN_PROCESS=True,
    )
    with app.test_request_context():
        from gateway.payments.views import sandbox_payments_allowed

        assert not sandbox_payments_allowed()
    # Production cookies are Secure, so the browser talks HTTPS.
    portal = Portal(app)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    portal.register(client, AHMED)
    number = new_bill(app)
    page = client.get(f"https://localhost/payments/bills/{number}", headers=EN)
    assert page.status_code == 200, page.get_data(as_text=True)
    assert "sandbox-pay" not in page.get_data(as_text=True)
    assert client.post(f"https://localhost/payments/bills/{number}/sandbox-pay").status_code == 404
    assert load_bill(app, number).status == UNPAID


def test_the_cli_marks_bills_paid_and_lists_them(pay_app: Flask) -> None:
    paid_number, open_number = new_bill(pay_app), new_bill(pay_app, amount="7")
    runner = pay_app.test_cli_runner()
    listing = runner.invoke(group, ["list", "--unpaid"])
    assert listing.exit_code == 0 and paid_number in listing.output and open_number in listing.output
    done = runner.invoke(group, ["mark-paid", paid_number])
    assert done.exit_code == 0, done.output
    assert "marked paid" in done.output
    assert load_bill(pay_app, paid_number).paid_source == "cli"
    again = runner.invoke(group, ["mark-paid", paid_number])
    assert again.exit_code == 0 and "already paid" in again.output
    unpaid = runner.invoke(group, ["list", "--unpaid"]).output
    assert paid_number not in unpaid and open_number in unpaid
    everything = runner.invoke(group, ["list"]).output
    assert paid_number in everything and "paid" in everything
    for bad, words in (("123", "12 digits"), ("000000000000", "No bill")):
        refused = runner.invoke(group, ["mark-paid", bad])
        assert refused.exit_code != 0 and words in refused.output


def test_the_cli_refuses_an_expired_bill(pay_app: Flask) -> None:
    from datetime import timedelta

    from gateway.messaging.models import utc_now

    number = new_bill(pay_app, now=utc_now() - timedelta(days=30))
    result = pay_app.test_cli_runner().invoke(group, ["mark-paid", number])
    assert result.exit_code != 0 and "expired" in result.output
    assert load_bill(pay_app, number).status == EXPIRED


def test_the_migration_creates_exactly_the_model_s_table(make_app: Callable[..., Flask]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = make_app(PLUGINS="")
    engine = app.extensions["gateway"].database.engine
    only_bills = MetaData(naming_convention=Bill.metadata.naming_convention)
    for table in ("people", "applications", "bills"):
        Bill.metadata.tables[table].to_metadata(only_bills)

    def ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table == "bills"

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": ours, "compare_server_default": True}
        )
        assert compare_metadata(context, only_bills) == []
        indexes = {
            index["name"]: index["column_names"]
            for index in inspect(connection).get_indexes("bills")
            if "duplicates_constraint" not in index  # PostgreSQL lists the unique constraints' own indexes too
        }
    assert indexes == {
        "ix_bills_application_id": ["application_id"],
        "ix_bills_person_id": ["person_id"],
        "uq_bills_application_id_unpaid": ["application_id"],
    }


def test_the_migration_goes_down_and_up_again(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="")
    host = app.extensions["gateway"]
    engine = host.database.engine
    migrate.downgrade(engine, host.component("gateway"), "0009_documents")
    assert "bills" not in inspect(engine).get_table_names()
    migrate.upgrade(engine, host.migration_components())
    assert "bills" in inspect(engine).get_table_names()
