"""The library test plugin: exercises every hook of SDK 0.1."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Integer, MetaData, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bawaba_sdk import (
    Blueprint,
    PluginDatabase,
    Program,
    Service,
    Setting,
    TranslationDomain,
    current_person,
    db_session,
    hookimpl,
    login_required,
    parse_int,
    plugin_settings,
    render_template,
)

translations = TranslationDomain(Path(__file__).parent / "translations", "library")
_l = translations.lazy_gettext


class Base(DeclarativeBase):
    metadata = MetaData()


class Book(Base):
    __tablename__ = "library_books"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)


PROGRAM = Program(
    slug="library",
    name=_l("Library"),
    summary=_l("Borrow books."),
    translations=translations,
    services=(
        Service(slug="borrow", name=_l("Borrow a book"), summary=_l("Take a book home."), endpoint="library.books"),
    ),
)

blueprint = Blueprint("library", __name__, template_folder="templates")


@blueprint.get("/")
def index() -> str:
    return render_template("library/index.html")


@blueprint.get("/books")
def books() -> str:
    titles = db_session().scalars(select(Book.title).order_by(Book.title)).all()
    days = plugin_settings("library")["loan_days"]
    return f"{days} days: " + ", ".join(titles)


@blueprint.get("/mine")
@login_required
def my_loans() -> str:
    person = current_person()
    assert person is not None
    return f"Loans of {person.full_name('en')} ({person.subject})"


@blueprint.get("/explode")
def explode() -> str:
    raise RuntimeError("a bug inside a plugin view")


@hookimpl
def gateway_register_program() -> Program:
    return PROGRAM


@hookimpl
def gateway_register_settings() -> list[Setting]:
    return [Setting("loan_days", 14, parse_int(minimum=1, maximum=90), "How long a loan lasts.")]


@hookimpl
def gateway_register_database() -> PluginDatabase:
    return PluginDatabase(metadata=Base.metadata, migrations=Path(__file__).parent / "migrations")


@hookimpl
def gateway_register_blueprint() -> Blueprint:
    return blueprint


PEOPLE_CHANGES: list[tuple[str, frozenset[str]]] = []
"""What gateway_person_changed told this plugin (read by the identity tests)."""


@hookimpl
def gateway_person_changed(person, changed) -> None:  # type: ignore[no-untyped-def]
    PEOPLE_CHANGES.append((person.subject, changed))


@hookimpl
def gateway_load_demo_data(session) -> list[str]:  # type: ignore[no-untyped-def]
    wanted = ["Kalila wa Dimna", "The Muqaddimah"]
    present = set(session.scalars(select(Book.title)).all())
    missing = [title for title in wanted if title not in present]
    session.add_all(Book(title=title) for title in missing)
    return [f"{len(missing)} books added"]
