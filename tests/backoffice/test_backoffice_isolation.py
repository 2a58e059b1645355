"""Staff never see another program's applications: queues, pages, documents and actions all answer 404."""

from __future__ import annotations

from tests.backoffice.conftest import Office, text

EN = {"Accept-Language": "en"}


def test_each_queue_shows_only_its_own_program(office: Office) -> None:
    citizen = office.ahmed()
    permit = office.permits_application(citizen)
    visa = office.probe_application("k-visa-1")
    musaned = office.signed_in("sara", {"probe": "reviewer"})
    permits = office.signed_in("fahad", {"permits": "supervisor"})

    musaned_queue = text(musaned.get("/backoffice/probe/queue", headers=EN))
    assert visa in musaned_queue and permit not in musaned_queue
    permits_queue = text(permits.get("/backoffice/permits/queue", headers=EN))
    assert permit in permits_queue and visa not in permits_queue
    assert "/backoffice/permits/" not in text(musaned.get("/backoffice/", headers=EN))


def test_other_programs_are_404_even_with_a_valid_reference(office: Office) -> None:
    citizen = office.ahmed()
    permit = office.permits_application(citizen)
    visa = office.probe_application("k-visa-1")
    document = office.document_of(permit)
    sara = office.signed_in("sara", {"probe": "supervisor"})

    assert sara.get("/backoffice/permits/queue").status_code == 404
    assert sara.get(f"/backoffice/permits/applications/{permit}").status_code == 404
    assert sara.get(f"/backoffice/permits/documents/{document}").status_code == 404
    # the permit's reference or document through her own program's addresses: still 404
    assert sara.get(f"/backoffice/probe/applications/{permit}").status_code == 404
    assert sara.get(f"/backoffice/probe/documents/{document}").status_code == 404
    assert sara.get(f"/backoffice/probe/queue?reference={permit}", headers=EN).status_code == 200
    filtered = text(sara.get(f"/backoffice/probe/queue?reference={permit}", headers=EN))
    assert f"/applications/{permit}" not in filtered and "No applications match." in filtered
    for action in ("transition", "assign"):
        answer = sara.post(f"/backoffice/probe/applications/{permit}/{action}", data={"target": "in_review"})
        assert answer.status_code == 404
        answer = sara.post(f"/backoffice/permits/applications/{permit}/{action}", data={"target": "in_review"})
        assert answer.status_code == 404
    assert office.application(permit).state == "submitted"
    # unknown programs, ids instead of references, path tricks
    assert sara.get("/backoffice/nowhere/queue").status_code == 404
    assert sara.get("/backoffice/probe/applications/1").status_code == 404
    assert sara.get("/backoffice/probe/documents/1").status_code == 404
    assert sara.get("/backoffice/probe/documents/..%2F..%2Fetc").status_code == 404
    assert sara.get(f"/backoffice/probe/applications/{visa}").status_code == 200


def test_staff_download_a_document_of_their_program(office: Office) -> None:
    citizen = office.ahmed()
    permit = office.permits_application(citizen)
    document = office.document_of(permit)
    fahad = office.signed_in("fahad", {"permits": "reviewer"})
    page = text(fahad.get(f"/backoffice/permits/applications/{permit}", headers=EN))
    assert f"/backoffice/permits/documents/{document}" in page and "registration.pdf" in page
    download = fahad.get(f"/backoffice/permits/documents/{document}")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download.headers["Content-Disposition"]


def test_a_staff_member_without_roles_sees_no_program(office: Office) -> None:
    office.ahmed()
    office.probe_application("k-visa-1")
    nobody = office.signed_in("nobody", {})
    assert "You have no role in any program yet" in text(nobody.get("/backoffice/", headers=EN))
    assert nobody.get("/backoffice/probe/queue").status_code == 404
    assert nobody.get("/backoffice/admin/staff").status_code == 404
