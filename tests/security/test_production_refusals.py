"""Production on a sandbox, or with rate limits counted per worker: the serving commands refuse to start.

Started as an operator would (the installed ``gateway`` script, a fresh
environment), ``gateway run`` in production with the default (sandbox)
adapters stops with one line naming them and the staging switch; with the
staging switch but no Redis it stops with one line about the rate limits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.security.verdict import note

SECRET_KEY = "s" * 48


def start(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("gateway", path=str(Path(sys.executable).parent))
    assert executable, "the gateway console script is installed beside the interpreter"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    environment.update(
        GATEWAY_ENV="production", GATEWAY_SECRET_KEY=SECRET_KEY, GATEWAY_INSTANCE_PATH=str(tmp_path), **settings
    )
    return subprocess.run([executable, "run"], env=environment, capture_output=True, text=True, timeout=120)


def test_production_with_sandbox_adapters_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    result = start(tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("gateway: cannot start: production refuses sandbox adapters")
    for named in ("REGISTRY_ADAPTER=sandbox", "PAYMENT_ADAPTER=sandbox", "SMS_ADAPTER=outbox", "EMAIL_ADAPTER=outbox"):
        assert named in result.stderr
    assert "GATEWAY_STAGING=1" in result.stderr
    note(__name__, "gateway run in production on the sandboxes: refused in one line (exit 2)")


def test_production_without_redis_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    result = start(tmp_path, GATEWAY_STAGING="1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("gateway: cannot start: production needs GATEWAY_REDIS_URL")
    assert "GATEWAY_RATE_LIMITS_IN_PROCESS=1" in result.stderr
    note(__name__, "gateway run in production without Redis: refused in one line (exit 2)")
