"""The storage adapter, keeping files and rows together, purging orphans, and the migration."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

import gateway
from gateway.applications.models import Application
from gateway.database import Base
from gateway.documents import (
    EXTENSION_KEY,
    DocumentRejected,
    LocalFolderStorage,
    attach,
    documents_of_application,
    purge_orphans,
    storage_from_config,
    store_upload,
)
from gateway.documents.cli import group as documents_cli
from gateway.documents.models import Document
from gateway.documents.storage import InvalidStorageKeyError, new_storage_key
from gateway.identity.models import Person
from gateway.messaging.models import utc_now
from tests.documents.conftest import pdf_bytes, png_bytes

MSGID = re.compile(r"""_\(\s*"((?:[^"\\]|\\.)*)\"""")


def _ahmed_id(app: Flask) -> int:
    with app.extensions["gateway"].database.session_factory() as db:
        return db.scalars(select(Person.id).where(Person.id_number == "1000000008")).one()


def _file(data: bytes, name: str = "passport.pdf") -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=name, content_type="application/pdf")


def _files(storage: LocalFolderStorage) -> list[Path]:
    return sorted(path for path in storage.path.rglob("*") if path.is_file())


def test_the_local_folder_keeps_private_files_under_server_made_keys(tmp_path: Path) -> None:
    storage = LocalFolderStorage(tmp_path / "docs")
    key = new_storage_key()
    storage.save(key, BytesIO(b"hello"))
    with storage.open(key) as handle:
        assert handle.read() == b"hello"
    stored = tmp_path / "docs" / key[:2] / key
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.parent.stat().st_mode & 0o777 == 0o700
    assert [path.name for path in _files(storage)] == [key]  # no temporary file left behind
    storage.delete(key)
    storage.delete(key)  # already gone: not an error
    assert _files(storage) == []


@pytest.mark.parametrize(
    "key", ["../../etc/passwd", "", "a" * 40 + "/x", "A" * 40, "..", "0" * 39, "0" * 41, "/tmp/" + "0" * 40]
)
def test_keys_the_server_did_not_make_are_refused(tmp_path: Path, key: str) -> None:
    storage = LocalFolderStorage(tmp_path / "docs")
    with pytest.raises(InvalidStorageKeyError):
        storage.save(key, BytesIO(b"x"))
    with pytest.raises(InvalidStorageKeyError):
        storage.open(key)
    with pytest.raises(InvalidStorageKeyError):
        storage.delete(key)
    assert not (tmp_path / "docs").exists() or _files(storage) == []


def test_the_storage_folder_is_configurable_but_never_the_static_folder(app: Flask, tmp_path: Path) -> None:
    assert storage_from_config(app).path == (Path(app.instance_path) / "documents").resolve()
    app.config["GATEWAY_DOCUMENT_STORAGE_PATH"] = str(tmp_path / "elsewhere")
    assert storage_from_config(app).path == (tmp_path / "elsewhere").resolve()
    for public in (Path(gateway.__file__).parent / "static", Path(gateway.__file__).parent / "static" / "uploads"):
        app.config["GATEWAY_DOCUMENT_STORAGE_PATH"] = str(public)
        with pytest.raises(ValueError, match="static"):
            storage_from_config(app)


def test_a_rolled_back_upload_leaves_no_file(documents_app: Flask, ahmed: FlaskClient) -> None:
    person_id = _ahmed_id(documents_app)
    storage: LocalFolderStorage = documents_app.extensions[EXTENSION_KEY]
    with documents_app.test_request_context():
        with documents_app.extensions["gateway"].database.session_factory() as db:
            store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="passport_copy")
            assert len(_files(storage)) == 1
            db.rollback()
            assert _files(storage) == []

            kept = store_upload(db, person_id=person_id, file_storage=_file(png_bytes()), purpose="photo")
            db.commit()
            db.rollback()  # a later rollback does not touch what was committed
            assert [path.name for path in _files(storage)] == [kept.storage_key]

        with documents_app.extensions["gateway"].database.session_factory() as db:
            store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="passport_copy")
            # the session closes without a commit, as a request that failed would
        assert [path.name for path in _files(storage)] == [kept.storage_key]


def test_a_rejected_upload_writes_nothing(documents_app: Flask, ahmed: FlaskClient) -> None:
    person_id = _ahmed_id(documents_app)
    session_factory = documents_app.extensions["gateway"].database.session_factory
    with documents_app.test_request_context(headers={"Accept-Language": "en"}), session_factory() as db:
        with pytest.raises(DocumentRejected) as rejected:
            store_upload(db, person_id=person_id, file_storage=None, purpose="x")
        assert rejected.value.message == "The file is empty. Please choose the file again."
        with pytest.raises(DocumentRejected, match="too large"):
            store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="x", max_bytes=100)
    assert _files(documents_app.extensions[EXTENSION_KEY]) == []


def test_orphans_are_purged_after_the_grace_period(documents_app: Flask, ahmed: FlaskClient) -> None:
    person_id = _ahmed_id(documents_app)
    storage: LocalFolderStorage = documents_app.extensions[EXTENSION_KEY]
    orphan = new_storage_key()
    storage.save(orphan, BytesIO(pdf_bytes()))  # as if the process died before the row was committed
    with documents_app.test_request_context(), documents_app.extensions["gateway"].database.session_factory() as db:
        document = store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="passport_copy")
        db.commit()
        stale_temporary = orphan_folder = storage.path / orphan[:2] / ".upload-crashed"
        stale_temporary.write_bytes(b"half")

        assert purge_orphans(db, storage, timedelta(hours=1)) == []  # too young: may be in flight
        assert len(_files(storage)) == 3

        later = utc_now() + timedelta(hours=2)
        assert purge_orphans(db, storage, timedelta(hours=1), now=later) == [orphan]
        assert [path.name for path in _files(storage)] == [document.storage_key]
        assert not orphan_folder.exists()


def test_the_purge_command(documents_app: Flask, ahmed: FlaskClient) -> None:
    storage: LocalFolderStorage = documents_app.extensions[EXTENSION_KEY]
    orphan = new_storage_key()
    storage.save(orphan, BytesIO(b"%PDF-"))
    two_days_ago = (utc_now() - timedelta(days=2)).timestamp()
    os.utime(storage.path / orphan[:2] / orphan, (two_days_ago, two_days_ago))
    result = documents_app.test_cli_runner().invoke(documents_cli, ["purge-orphans", "--older-than-hours", "24"])
    assert result.exit_code == 0, result.output
    assert "1 orphaned document files removed" in result.output
    assert _files(storage) == []


def _application(db: Session, person_id: int, reference: str) -> int:
    """A bare application row (the applications part builds real ones through submit_application)."""
    application = Application(
        reference=reference,
        program="test",
        service="test",
        person_id=person_id,
        state="submitted",
        answers={},
        extra={},
        submission_key=f"key-{reference}",
    )
    db.add(application)
    db.flush()
    return application.id


def test_documents_are_attached_to_one_application(documents_app: Flask, ahmed: FlaskClient) -> None:
    person_id = _ahmed_id(documents_app)
    with documents_app.test_request_context(), documents_app.extensions["gateway"].database.session_factory() as db:
        first_application = _application(db, person_id, "TST-00000001")
        other_application = _application(db, person_id, "TST-00000002")
        first = store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="passport_copy")
        second = store_upload(db, person_id=person_id, file_storage=_file(png_bytes()), purpose="photo")
        store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="draft_only")
        attach(db, first, first_application)
        attach(db, second, first_application)
        attach(db, second, first_application)  # again: harmless
        db.commit()
        attached = documents_of_application(db, first_application)
        assert [document.purpose for document in attached] == ["passport_copy", "photo"]
        assert documents_of_application(db, other_application) == []
        with pytest.raises(ValueError, match="another application"):
            attach(db, first, other_application)

        db.execute(delete(Application).where(Application.id == first_application))
        db.commit()
        db.expire_all()
        detached = db.get(Document, first.id)  # deleting an application only detaches its documents
        assert detached is not None and detached.application_id is None


def test_public_ids_are_random_and_unrelated_to_the_storage(documents_app: Flask, ahmed: FlaskClient) -> None:
    person_id = _ahmed_id(documents_app)
    with documents_app.test_request_context(), documents_app.extensions["gateway"].database.session_factory() as db:
        documents = [
            store_upload(db, person_id=person_id, file_storage=_file(pdf_bytes()), purpose="p") for _ in range(5)
        ]
        db.commit()
    public_ids = {document.public_id for document in documents}
    assert len(public_ids) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{24}", public_id) for public_id in public_ids)
    assert not {document.storage_key for document in documents} & public_ids


def test_the_migration_matches_the_model(app: Flask) -> None:
    with app.extensions["gateway"].database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [
            difference for difference in compare_metadata(context, Base.metadata) if "documents" in repr(difference)
        ]
    assert differences == []
