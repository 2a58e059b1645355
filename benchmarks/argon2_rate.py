"""The raw Argon2id verification rate with the portal's own parameters, the ceiling of sign-in throughput.

Measured with the portal's ``PasswordHashing`` (the same normalisation and
argon2-cffi call as a sign-in), while no server runs, in 1, 2 and 4
processes verifying at once (processes, like gunicorn's workers, so that no
lock inside one interpreter can hide what the machine can do). The best total
rate is the ceiling the sign-in throughput is compared with: the strictest
reading of the target.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher

from gateway.identity.passwords import PasswordHashing

PASSWORD = "amber lanterns over the wadi 2026"


@dataclass(frozen=True)
class Argon2Rate:
    time_cost: int
    memory_kib: int
    parallelism: int
    per_processes: tuple[tuple[int, float], ...]
    """(verifying processes, verifications per second in total)."""

    @property
    def best(self) -> float:
        return max(rate for _processes, rate in self.per_processes)

    def describe(self) -> str:
        return f"Argon2id t={self.time_cost}, m={self.memory_kib} KiB, p={self.parallelism}"

    def merged(self, other: Argon2Rate) -> Argon2Rate:
        """The better reading of each process count, over two measurements (before and after the servers ran)."""
        best = dict(self.per_processes)
        for processes, rate in other.per_processes:
            best[processes] = max(rate, best.get(processes, 0.0))
        return Argon2Rate(self.time_cost, self.memory_kib, self.parallelism, tuple(sorted(best.items())))


def _verify_for(parameters: tuple[int, int, int], seconds: float, start: Any, ready: Any, results: Any) -> None:
    """One verifying process: hash once, say it is ready, then verify until ``seconds`` have passed."""
    time_cost, memory_kib, parallelism = parameters
    hashing = PasswordHashing(PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism))
    stored = hashing.hash(PASSWORD)
    ready.put(True)
    start.wait()
    done = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        if not hashing.verify(stored, PASSWORD):
            raise AssertionError("the benchmark's own password did not verify")
        done += 1
    results.put(done / (time.perf_counter() - began))


def measure(
    settings: Mapping[str, Any], *, seconds: float = 3.0, process_counts: tuple[int, ...] = (1, 2, 4)
) -> Argon2Rate:
    """Total verifications per second of a correct password, for each number of processes verifying at once."""
    parameters = (settings["ARGON2_TIME_COST"], settings["ARGON2_MEMORY_KIB"], settings["ARGON2_PARALLELISM"])
    context = multiprocessing.get_context("spawn")
    rates = []
    for count in process_counts:
        start = context.Event()
        ready = context.Queue()
        results = context.Queue()
        workers = [
            context.Process(target=_verify_for, args=(parameters, seconds, start, ready, results)) for _ in range(count)
        ]
        for worker in workers:
            worker.start()
        for _worker in workers:  # every process has imported and hashed once before the clock starts
            ready.get(timeout=120)
        start.set()
        total = sum(results.get(timeout=seconds + 60) for _ in workers)
        for worker in workers:
            worker.join()
        rates.append((count, total))
    return Argon2Rate(*parameters, tuple(rates))
