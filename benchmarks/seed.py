"""The people, applications, drafts, sessions and OIDC client the scenarios need, made before the clock starts.

Everything is written through the portal's own code, in this process, with
an app built from the same ``GATEWAY_*`` environment as the servers (same
database, Redis and secret key):

- people come from a generated registry file (fictional, like the sandbox's),
  made into people with ``person_from_registry`` and given accounts with one
  Argon2id hash of the production parameters (every account's verification
  costs the same whatever its salt);
- the dashboard's applications are made with ``submit_application``;
- one visa request is filled in through the real form pages, and its draft's
  answers are copied (with a freshly stored document each) for the drafts the
  submission scenario sends;
- browser sessions are opened by the portal's own ``sign_in()`` (or left
  anonymous) inside a view that exists only on this process's app, never on
  the servers: it saves spending an Argon2id verification per session on
  set-up. The sign-in scenario itself goes through the real two steps.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import FileStorage

from bawaba_sdk.validators.national_id import make_national_id
from gateway import create_app
from gateway.applications.service import program_named, submit_application
from gateway.documents import store_upload
from gateway.forms.models import Draft
from gateway.identity.current import sign_in
from gateway.identity.models import Account, Person
from gateway.identity.people import person_from_registry
from gateway.oidc.clients import register_client

PASSWORD = "amber lanterns over the wadi 2026"
SESSION_COOKIE = "bawaba_session"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REDIRECT_URI = "http://127.0.0.1:18099/callback"
VISA_FORM = "/apply/musaned/new_visa/"
VISA_STEPS: dict[str, dict[str, Any]] = {
    "worker": {"worker_type": "housemaid", "nationality": "PH", "salary": "1500"},
    "household": {"household_size": "5", "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh"},
    "capacity": {"proof_kind": "salary_certificate", "monthly_income": "18000"},
}
DASHBOARD_PLAN: tuple[tuple[str, str, int], ...] = (
    ("musaned", "new_visa", 6),
    ("musaned", "support_tickets", 4),
    ("social_security", "registration", 5),
    ("social_security", "eligibility", 5),
)
"""20 applications for each dashboard person. GOSI's services are left out: its plugin now refuses a
submission from someone without a GOSI record, which the generated people do not have."""

FIRST_NAMES = (
    ("محمد", "Mohammed"),
    ("فاطمة", "Fatimah"),
    ("عبدالله", "Abdullah"),
    ("نورة", "Noura"),
    ("خالد", "Khalid"),
)
FAMILY_NAMES = (("القحطاني", "Al-Qahtani"), ("الشمري", "Al-Shammari"), ("الحربي", "Al-Harbi"), ("الدوسري", "Al-Dosari"))


@dataclass(frozen=True)
class Citizen:
    person_id: int
    id_number: str
    mobile: str


@dataclass(frozen=True)
class Browser:
    """A browser's session: the cookie to send and the CSRF token its forms carry."""

    cookie: str
    csrf: str


@dataclass(frozen=True)
class SignedIn:
    citizen: Citizen
    browser: Browser


@dataclass
class Population:
    """How many people each scenario needs."""

    dashboard: int = 32
    form: int = 48
    submit: int = 600
    sign_in: int = 200
    oidc: int = 4

    @property
    def total(self) -> int:
        return self.dashboard + self.form + self.submit + self.sign_in + self.oidc


@dataclass
class Seeded:
    dashboard: list[SignedIn] = field(default_factory=list)
    form: list[SignedIn] = field(default_factory=list)
    submit: list[tuple[SignedIn, str]] = field(default_factory=list)
    """Each with a complete visa draft and the submission key its "check your answers" page gave."""
    sign_in: list[tuple[Citizen, Browser]] = field(default_factory=list)
    """Anonymous browsers (with a CSRF token) and the person each will sign in as."""
    oidc: list[SignedIn] = field(default_factory=list)
    oidc_client_id: str = ""
    oidc_client_secret: str = ""


def registry_people(count: int) -> list[dict[str, Any]]:
    """Fictional citizens who meet every Musaned condition (active account, no fines, enough income)."""
    people = []
    for number in range(count):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        family = FAMILY_NAMES[(number // len(FIRST_NAMES)) % len(FAMILY_NAMES)]
        people.append(
            {
                "id_number": make_national_id(f"17{number:07d}"),
                "id_type": "citizen",
                "first_name_ar": first[0],
                "family_name_ar": family[0],
                "first_name_en": first[1],
                "family_name_en": family[1],
                "birth_date": (date(1975, 1, 1) + timedelta(days=97 * number % 9000)).isoformat(),
                "nationality": "SA",
                "mobile": f"+96656{number:07d}",
                "account_active": True,
                "unpaid_violations": "0.00",
                "monthly_income": "25000.00",
                "household": [],
            }
        )
    return people


def write_registry(path: Path, count: int) -> None:
    path.write_text(json.dumps({"people": registry_people(count)}, ensure_ascii=False), encoding="utf-8")


def portal_for_seeding() -> Flask:
    """An app on the run's database and Redis (from ``GATEWAY_*``), with the session view only it has."""
    app = create_app()

    def open_session(person_id: int) -> str:
        if person_id:
            person = app.extensions["gateway"].db_session().get(Person, person_id)
            assert person is not None
            sign_in(person, ["pwd", "otp"])
        return generate_csrf()

    app.add_url_rule("/__bench__/session/<int:person_id>", "bench_session", open_session)
    return app


def open_browser(app: Flask, person_id: int = 0) -> Browser:
    response = app.test_client(use_cookies=False).get(f"/__bench__/session/{person_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    for line in response.headers.getlist("Set-Cookie"):
        name, _, rest = line.partition("=")
        if name == SESSION_COOKIE:
            return Browser(f"{SESSION_COOKIE}={rest.split(';', 1)[0]}", response.get_data(as_text=True))
    raise RuntimeError("the portal set no session cookie")


def seed(app: Flask, population: Population) -> Seeded:
    """Make everything the scenarios need; the registry file must hold ``population.total`` people."""
    citizens = _people_with_accounts(app, population.total)
    cuts = _split(citizens, population)
    seeded = Seeded()
    seeded.dashboard = [SignedIn(citizen, open_browser(app, citizen.person_id)) for citizen in cuts["dashboard"]]
    _dashboard_applications(app, cuts["dashboard"])
    seeded.form = [SignedIn(citizen, open_browser(app, citizen.person_id)) for citizen in cuts["form"]]
    submitters = [SignedIn(citizen, open_browser(app, citizen.person_id)) for citizen in cuts["submit"]]
    seeded.submit = _visa_drafts(app, submitters)
    seeded.sign_in = [(citizen, open_browser(app)) for citizen in cuts["sign_in"]]
    seeded.oidc = [SignedIn(citizen, open_browser(app, citizen.person_id)) for citizen in cuts["oidc"]]
    seeded.oidc_client_id, seeded.oidc_client_secret = _oidc_client(app)
    return seeded


def _split(citizens: list[Citizen], population: Population) -> dict[str, list[Citizen]]:
    cuts: dict[str, list[Citizen]] = {}
    start = 0
    for name in ("dashboard", "form", "submit", "sign_in", "oidc"):
        size = getattr(population, name)
        cuts[name] = citizens[start : start + size]
        start += size
    return cuts


def _people_with_accounts(app: Flask, count: int) -> list[Citizen]:
    host = app.extensions["gateway"]
    password_hash = app.extensions["gateway.passwords"].hash(PASSWORD)
    with app.app_context():
        db = host.db_session()
        people = []
        for record in list(host.registry.all_records())[:count]:
            person = person_from_registry(record)
            db.add(person)
            people.append(person)
        db.flush()
        for person in people:
            db.add(Account(person_id=person.id, username=f"bench{person.id}", password_hash=password_hash))
        db.commit()
        return [Citizen(person.id, person.id_number, person.mobile) for person in people]


def _dashboard_applications(app: Flask, citizens: list[Citizen]) -> None:
    with app.test_request_context():
        db = app.extensions["gateway"].db_session()
        for citizen in citizens:
            person = db.get(Person, citizen.person_id)
            assert person is not None
            for program_slug, service_slug, count in DASHBOARD_PLAN:
                program = program_named(program_slug)
                service = program.service(service_slug) if program is not None else None
                assert program is not None and service is not None, f"{program_slug}/{service_slug} is not served"
                for _ in range(count):
                    submit_application(
                        db,
                        person=person,
                        program=program,
                        service=service,
                        answers=_answers_for(service_slug),
                        submission_key=secrets.token_urlsafe(24),
                    )
            db.commit()


def _answers_for(service_slug: str) -> dict[str, Any]:
    if service_slug == "new_visa":
        return {
            "worker": {"worker_type": "housemaid", "nationality": "PH", "salary": "1500.00"},
            "household": {"household_size": 5, "dwelling_type": "villa", "region": "riyadh", "city": "Riyadh"},
        }
    if service_slug == "support_tickets":
        return {
            "ticket": {
                "category": "other",
                "related_reference": None,
                "subject": "A question",
                "message": "When will my request be reviewed?",
            }
        }
    return {"request": {"note": "Submitted by the load benchmark's set-up."}}


def _visa_drafts(app: Flask, submitters: list[SignedIn]) -> list[tuple[SignedIn, str]]:
    """The first draft through the real pages; the others copy its answers with documents of their own."""
    first = submitters[0]
    client = app.test_client(use_cookies=False)
    headers = {"Cookie": first.browser.cookie}
    for slug, data in VISA_STEPS.items():
        form: dict[str, Any] = {**data, "csrf_token": first.browser.csrf}
        if slug == "capacity":
            form["proof"] = (BytesIO(MINIMAL_PDF), "salary.pdf")
        saved = client.post(VISA_FORM + slug, data=form, headers=headers, content_type="multipart/form-data")
        assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    check = client.get(VISA_FORM + "check", headers=headers)
    assert check.status_code == 200, check.get_data(as_text=True)[:2000]
    key = re.search(r'name="submission_key" value="([^"]+)"', check.get_data(as_text=True))
    assert key is not None
    drafts = [(first, key.group(1))]
    with app.test_request_context():
        db = app.extensions["gateway"].db_session()
        template = db.query(Draft).filter(Draft.person_id == first.citizen.person_id).one()
        template_proof = template.answers["capacity"]["proof"]
        for signed_in in submitters[1:]:
            document = store_upload(
                db,
                person_id=signed_in.citizen.person_id,
                file_storage=FileStorage(BytesIO(MINIMAL_PDF), filename="salary.pdf", content_type="application/pdf"),
                purpose="musaned.new_visa.capacity.proof",
            )
            answers = copy.deepcopy(template.answers)
            assert answers["capacity"]["proof"] == template_proof
            answers["capacity"]["proof"] = str(document.public_id)
            submission_key = secrets.token_urlsafe(32)
            db.add(
                Draft(
                    person_id=signed_in.citizen.person_id,
                    program="musaned",
                    service="new_visa",
                    answers=answers,
                    submission_key=submission_key,
                )
            )
            drafts.append((signed_in, submission_key))
        db.commit()
    return drafts


def _oidc_client(app: Flask) -> tuple[str, str]:
    with app.app_context():
        db = app.extensions["gateway"].db_session()
        client, secret = register_client(
            db,
            name="Benchmark relying party",
            redirect_uris=[REDIRECT_URI],
            scopes=["openid", "profile"],
            auth_method="client_secret_basic",
        )
        db.commit()
        assert secret is not None
        return client.client_id, secret
