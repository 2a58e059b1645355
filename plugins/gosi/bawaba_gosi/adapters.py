"""Where GOSI's contributor records come from: the records adapter, chosen by a setting.

``GATEWAY_GOSI_RECORDS_ADAPTER`` is ``sandbox`` (the default: fictional
people of the registry's sandbox, from ``data/sandbox_records.json``), ``http``
(GOSI's records service: ``GATEWAY_GOSI_RECORDS_URL``, ``…_TOKEN``,
``…_TIMEOUT`` seconds, ``…_RETRIES``) or any ``package.module:ClassName``
offering :class:`Records`. The choice is the SDK's :class:`sdk.AdapterChoice`,
the same mechanism any plugin uses for its outside systems.

A service that does not answer (a timeout, a refused connection, a 5xx, an
unreadable answer) raises :class:`sdk.AdapterUnavailable`; the pages then say
"GOSI is not answering, try again later" and keep whatever the person entered.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, Protocol

import bawaba_sdk as sdk

from .records import Contributor, RecordError, contributor_from_json

logger = logging.getLogger(__name__)
SLUG = "gosi"


class Records(Protocol):
    """What the portal asks GOSI's systems."""

    def contributor(self, id_number: str) -> Contributor | None:
        """The person's record, or ``None`` when GOSI has none.

        :raises sdk.AdapterUnavailable: GOSI did not answer.
        """
        ...


@cache
def _sandbox_records() -> dict[str, Contributor]:
    text = resources.files("bawaba_gosi").joinpath("data").joinpath("sandbox_records.json").read_text("utf-8")
    people = json.loads(text)["contributors"]
    return {person["id_number"]: contributor_from_json(person) for person in people}


class SandboxRecords:
    """Fictional contributors (people of the registry's sandbox), read from the package's JSON file."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.records = _sandbox_records()

    def contributor(self, id_number: str) -> Contributor | None:
        return self.records.get(id_number)


class HttpRecords:
    """GOSI's records service over HTTPS: ``GET <url>/contributors/<id>`` with a bearer token.

    404 means GOSI has no record of the person; a timeout, a refused
    connection or a 5xx is tried again (``records_retries`` more times) and
    then reported as :class:`sdk.AdapterUnavailable`.
    """

    def __init__(self, settings: Mapping[str, Any]) -> None:
        url = str(settings.get("records_url") or "").rstrip("/")
        if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
            raise sdk.SettingError("records_url must be set to GOSI's http(s) address for the http adapter")
        self.url = url
        self.token = str(settings.get("records_token") or "")
        self.timeout = float(settings.get("records_timeout", Decimal(5)))
        self.retries = int(settings.get("records_retries", 2))
        self._opener = urllib.request.build_opener()

    def contributor(self, id_number: str) -> Contributor | None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.url}/contributors/{urllib.parse.quote(id_number, safe='')}",
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        for attempt in range(self.retries + 1):
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return contributor_from_json(json.loads(response.read().decode("utf-8")))
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    return None
                if error.code < 500:
                    logger.error("GOSI records answered %s for a contributor", error.code)
                    break
                logger.warning("GOSI records answered %s (attempt %s)", error.code, attempt + 1)
            except (RecordError, ValueError) as error:
                logger.error("GOSI records sent an unreadable record: %s", error)
                break
            except (OSError, TimeoutError) as error:  # refused, reset, timed out
                logger.warning("GOSI records did not answer (attempt %s): %s", attempt + 1, error)
            time.sleep(min(0.2 * (attempt + 1), 1.0))
        raise sdk.AdapterUnavailable("GOSI's records service is not answering")


RECORDS: sdk.AdapterChoice[Records] = sdk.AdapterChoice(
    name="records",
    protocol=Records,
    implementations={"sandbox": SandboxRecords, "http": HttpRecords},
    default="sandbox",
    help="Where contributor records come from: sandbox, http or package.module:ClassName.",
)

SETTINGS: tuple[sdk.Setting, ...] = (
    RECORDS.setting(),
    sdk.Setting("records_url", "", lambda value: str(value).strip(), "GOSI records service address (http adapter)."),
    sdk.Setting(
        "records_token", "", lambda value: str(value).strip(), "Bearer token for GOSI's records service.", secret=True
    ),
    sdk.Setting(
        "records_timeout",
        Decimal(5),
        sdk.parse_decimal(minimum=Decimal("0.1"), maximum=Decimal(60)),
        "Seconds to wait for GOSI's records service.",
    ),
    sdk.Setting("records_retries", 2, sdk.parse_int(minimum=0, maximum=5), "Further tries after a failed call."),
    sdk.Setting(
        "verify_rate",
        "10/minute;50/hour",
        sdk.parse_text,
        "How often one address may check certificates on the public page (Flask-Limiter syntax).",
    ),
)


def records() -> Records:
    """The records adapter of the portal serving this request."""
    return RECORDS.current(SLUG)
