"""A closed-loop HTTP/1.1 load generator on asyncio, from the standard library alone.

wrk drives the scenarios whose requests can be replayed (see :mod:`benchmarks.wrk`).
The others consume what they send (a submission key submits once, an
authorization code is exchanged once, a sign-in needs the code the server just
sent), so they need a client that can read an answer and act on it: this one.
Each of ``concurrency`` clients keeps one keep-alive connection and runs one
job at a time, for a fixed time or until the jobs run out.

It is a Python program sharing the machine's cores with the server, so it
takes CPU time the server could have used; the reference app is measured
with the same generator, and each ratio compares figures of one generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "127.0.0.1"
MAX_FAILURES_KEPT = 5


@dataclass(frozen=True)
class HttpRequest:
    """One request, encoded once per send (the generator's cost per request stays small)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "User-Agent: bawaba-bench"]
        lines.extend(f"{name}: {value}" for name, value in self.headers)
        if self.body or self.method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def get(path: str, cookie: str | None = None) -> HttpRequest:
    return HttpRequest("GET", path, (("Cookie", cookie),) if cookie else ())


def post_form(
    path: str, form: dict[str, str], cookie: str | None = None, extra: tuple[tuple[str, str], ...] = ()
) -> HttpRequest:
    headers = [("Content-Type", "application/x-www-form-urlencoded"), *extra]
    if cookie:
        headers.append(("Cookie", cookie))
    return HttpRequest("POST", path, tuple(headers), urlencode(form).encode("ascii"))


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[-1] if values else ""

    def cookie(self, name: str) -> str | None:
        """The value a ``Set-Cookie`` gives ``name`` (``None`` when it sets none)."""
        for line in self.headers.get("set-cookie", []):
            pair = line.split(";", 1)[0]
            key, _, value = pair.partition("=")
            if key.strip() == name:
                return value.strip()
        return None


class ServerClosedError(ConnectionError):
    """The server closed a kept-alive connection before answering (it was idle too long)."""


class Connection:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"{HOST}:{port}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = False

    async def request(self, request: HttpRequest) -> HttpResponse:
        """Send and read one exchange; a kept-alive connection the server dropped is reopened once."""
        try:
            return await self._exchange(request)
        except ServerClosedError:
            await self.close()
            return await self._exchange(request)

    async def _exchange(self, request: HttpRequest) -> HttpResponse:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            self.used = False
        assert self.reader is not None
        reused = self.used
        self.used = True
        self.writer.write(request.encode(self.host))
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionResetError) as exc:
            await self.close()
            if reused and (not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial):
                raise ServerClosedError from exc  # nothing was answered: safe to send again
            raise
        response = _parse_head(head)
        response.body = await self._read_body(response, request.method)
        if response.header("connection").lower() == "close":
            await self.close()
        return response

    async def _read_body(self, response: HttpResponse, method: str) -> bytes:
        assert self.reader is not None
        if method == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200:
            return b""
        if "chunked" in response.header("transfer-encoding").lower():
            return await self._read_chunked()
        length = response.header("content-length")
        if length:
            return await self.reader.readexactly(int(length))
        body = await self.reader.read()
        await self.close()
        return body

    async def _read_chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def _parse_head(head: bytes) -> HttpResponse:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    return HttpResponse(status, headers, b"")


Check = Callable[[HttpResponse], bool]


def status_is(expected: int, location_contains: str | None = None) -> Check:
    """A check that the answer has this status (and, for a redirect, goes where it should)."""

    def check(response: HttpResponse) -> bool:
        if response.status != expected:
            return False
        return location_contains is None or location_contains in response.header("location")

    return check


@dataclass
class Recorder:
    """Latencies and failures of one run, shared by its clients (one thread: no locks needed)."""

    latencies: list[float] = field(default_factory=list)
    tagged: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    operations: int = 0
    failures: list[str] = field(default_factory=list)

    async def timed(
        self, connection: Connection, request: HttpRequest, check: Check, *, tag: str | None = None
    ) -> HttpResponse | None:
        """Send ``request`` and time it; ``None`` (and an error counted) when it fails or ``check`` refuses it.

        ``tag`` also files the latency under a name (the steps of a sign-in).
        """
        started = time.perf_counter()
        try:
            response = await connection.request(request)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self._latency(time.perf_counter() - started, tag)
            self.count_failure(f"{request.method} {request.path.split('?')[0]}: {type(exc).__name__} {exc}")
            await connection.close()
            return None
        self._latency(time.perf_counter() - started, tag)
        if not check(response):
            location = response.header("location")
            self.count_failure(
                f"{request.method} {request.path.split('?')[0]}: {response.status}"
                + (f" -> {location}" if location else f" {response.body[:120]!r}")
            )
            return None
        return response

    def _latency(self, seconds: float, tag: str | None) -> None:
        self.latencies.append(seconds)
        if tag is not None:
            self.tagged.setdefault(tag, []).append(seconds)

    def count_failure(self, description: str) -> None:
        self.errors += 1
        if len(self.failures) < MAX_FAILURES_KEPT:
            self.failures.append(description)


Job = Callable[[Connection, Recorder], Awaitable[None]]


@dataclass(frozen=True)
class LoadResult:
    """What one run measured: requests (each timed exchange), operations (jobs that fully succeeded)."""

    requests: int
    operations: int
    errors: int
    elapsed: float
    latencies: tuple[float, ...]
    concurrency: int
    failures: tuple[str, ...] = ()
    tagged: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def percentile(self, fraction: float, tag: str | None = None) -> float:
        """Nearest-rank percentile of the request latencies (or of one tag's), in seconds."""
        return percentile(self.latencies if tag is None else self.tagged.get(tag, ()), fraction)


def percentile(values: Iterable[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def run_jobs(port: int, jobs: Iterable[Job], *, concurrency: int, duration: float) -> LoadResult:
    """Run ``jobs`` on ``concurrency`` clients until ``duration`` seconds pass or the jobs run out."""
    return asyncio.run(_run(port, iter(jobs), concurrency, duration))


async def _run(port: int, jobs: Iterator[Job], concurrency: int, duration: float) -> LoadResult:
    recorder = Recorder()
    deadline = time.perf_counter() + duration

    async def client() -> None:
        connection = Connection(port)
        try:
            while time.perf_counter() < deadline:
                job = next(jobs, None)
                if job is None:
                    return
                await job(connection, recorder)
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return LoadResult(
        requests=len(recorder.latencies),
        operations=recorder.operations,
        errors=recorder.errors,
        elapsed=elapsed,
        latencies=tuple(recorder.latencies),
        concurrency=concurrency,
        failures=tuple(recorder.failures),
        tagged={tag: tuple(values) for tag, values in recorder.tagged.items()},
    )


def replay(requests: list[HttpRequest], check: Check) -> Iterator[Job]:
    """Jobs sending ``requests`` in turn, over and over (for scenarios that can repeat a request)."""
    position = 0
    while True:
        request = requests[position % len(requests)]
        position += 1

        async def job(connection: Connection, recorder: Recorder, request: HttpRequest = request) -> None:
            if await recorder.timed(connection, request, check) is not None:
                recorder.operations += 1

        yield job


def once_each(requests: Iterable[HttpRequest], check: Check) -> Iterator[Job]:
    """Jobs sending each request once (for requests that are consumed: codes, submission keys)."""
    for request in requests:

        async def job(connection: Connection, recorder: Recorder, request: HttpRequest = request) -> None:
            if await recorder.timed(connection, request, check) is not None:
                recorder.operations += 1

        yield job


def exchange(port: int, request: HttpRequest) -> HttpResponse:
    """One request outside any measurement (setting things up)."""

    async def one() -> HttpResponse:
        connection = Connection(port)
        try:
            return await connection.request(request)
        finally:
            await connection.close()

    return asyncio.run(one())
