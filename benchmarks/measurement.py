"""One scenario's figures, whichever generator measured them."""

from __future__ import annotations

from dataclasses import dataclass

from .loadgen import LoadResult


@dataclass(frozen=True)
class Measurement:
    """Throughput, latency percentiles (seconds) and errors of one run against one server."""

    generator: str
    requests: int
    operations: int
    errors: int
    elapsed: float
    p50: float
    p95: float
    p99: float
    concurrency: int
    failures: tuple[str, ...] = ()
    steps: tuple[tuple[str, float, float, float], ...] = ()
    """For a scenario of several requests: each step's (name, p50, p95, p99)."""
    server_cpu: float | None = None
    """CPU seconds the server's processes used during the run, when it was read."""

    @property
    def cpu_per_request(self) -> float | None:
        return self.server_cpu / self.requests if self.server_cpu is not None and self.requests else None

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def operations_per_second(self) -> float:
        return self.operations / self.elapsed if self.elapsed > 0 else 0.0

    @classmethod
    def combined(cls, rounds: list[Measurement]) -> Measurement:
        """Several rounds of one scenario as one: totals added, percentiles averaged (an approximation)."""
        count = len(rounds)
        return cls(
            generator=rounds[0].generator,
            requests=sum(r.requests for r in rounds),
            operations=sum(r.operations for r in rounds),
            errors=sum(r.errors for r in rounds),
            elapsed=sum(r.elapsed for r in rounds),
            p50=sum(r.p50 for r in rounds) / count,
            p95=sum(r.p95 for r in rounds) / count,
            p99=sum(r.p99 for r in rounds) / count,
            concurrency=rounds[0].concurrency,
            failures=tuple(failure for r in rounds for failure in r.failures),
            server_cpu=None if any(r.server_cpu is None for r in rounds) else sum(r.server_cpu or 0.0 for r in rounds),
        )

    @classmethod
    def from_load(cls, result: LoadResult) -> Measurement:
        return cls(
            generator="python",
            requests=result.requests,
            operations=result.operations,
            errors=result.errors,
            elapsed=result.elapsed,
            p50=result.percentile(0.50),
            p95=result.percentile(0.95),
            p99=result.percentile(0.99),
            concurrency=result.concurrency,
            failures=result.failures,
            steps=tuple(
                (tag, result.percentile(0.50, tag), result.percentile(0.95, tag), result.percentile(0.99, tag))
                for tag in result.tagged
            ),
        )
