"""The person's complaints page: their complaints, whether they can file one now, and the labour hotline."""

from __future__ import annotations

from typing import Any

import bawaba_sdk as sdk

from .complaints import (
    LABOUR_HOTLINE,
    SERVICE,
    after_days,
    complaint_contract,
    complaints_of,
    hijri,
    standing,
)
from .saudi_time import local_date
from .web import SLUG, bp


@bp.get("/complaints")
@sdk.login_required
def complaint_list() -> Any:
    """My complaints: each one's state, the contract and office concerned, and how to file a new one."""
    person = sdk.current_person()
    assert person is not None  # login_required saw to it
    return sdk.render_template(
        f"{SLUG}/complaint_list.html",
        complaints=complaints_of(person),
        contract_of=complaint_contract,
        standing=standing(person),
        after_days=after_days(),
        hijri=hijri,
        language=sdk.current_language(),
        complaint_form=f"/apply/{SLUG}/{SERVICE}/",
        contracts_url=sdk.url_for(f"{SLUG}.contract_requests"),
        hotline=LABOUR_HOTLINE,
        complaint_url=sdk.application_url,
        filed_on=lambda complaint: local_date(complaint.submitted_at),
    )
