"""``gateway worker``'s engine: huey's consumer, with a scheduler that claims each slot before enqueueing.

huey's own scheduler enqueues every periodic task on every consumer that runs
it, which is why its docs ask for periodic tasks on one consumer only. Here
every worker runs a scheduler, and :meth:`TaskQueue.enqueue_due` claims the
(job, slot) pair in the shared store before enqueueing, so any number of
workers on any number of machines enqueue each slot once and share the runs.
The scheduler looks every few seconds at every minute it has not looked at
yet, so a minute is never skipped because the looks drifted across it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from huey.consumer import Consumer, Scheduler

from .queue import TaskQueue

logger = logging.getLogger("gateway.tasks")

LOOK_SECONDS = 10
"""How often a worker's scheduler looks for due periodic jobs (each minute is looked at at least once)."""


class SlotScheduler(Scheduler):
    """huey's scheduler (retries, delayed tasks) whose periodic part claims slots first."""

    periodic_task_seconds = LOOK_SECONDS

    def __init__(self, *args: Any, queue: TaskQueue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = queue
        self.looked_until: datetime | None = None

    def enqueue_periodic_tasks(self, now: datetime | None) -> None:
        moment = datetime.now().astimezone()
        try:
            self.queue.enqueue_due(moment, after=self.looked_until)
        except Exception:  # the store is unreachable: look at these minutes again next time
            logger.exception("could not enqueue periodic jobs; will look again")
            return
        self.looked_until = moment


class GatewayConsumer(Consumer):
    """huey's consumer with :class:`SlotScheduler`."""

    def __init__(self, queue: TaskQueue, **options: Any) -> None:
        self.queue = queue
        super().__init__(queue.huey, **options)

    def _create_scheduler(self) -> SlotScheduler:
        return SlotScheduler(
            huey=self.huey,
            stop_flag=self.stop_flag,
            interval=self.scheduler_interval,
            periodic=self.periodic,
            queue=self.queue,
        )


def make_consumer(queue: TaskQueue, *, threads: int = 4, periodic: bool = True) -> GatewayConsumer:
    """A consumer running ``threads`` worker threads, the scheduler, and periodic jobs unless ``periodic`` is off.

    SIGTERM (how process managers stop a service) lets running tasks finish;
    a second SIGTERM or SIGINT stops at once. Idle workers look at the queue
    at least once a second (SQLite polls; Redis blocks on the list).
    """
    return GatewayConsumer(
        queue,
        workers=threads,
        periodic=periodic,
        worker_type="thread",
        scheduler_interval=1,
        max_delay=1.0,
        graceful_signal="TERM",
        check_worker_health=True,
    )
