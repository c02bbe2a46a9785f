"""Long-poll wake-ups that work across server instances.

A command may be queued through any instance, so the signal cannot live in one
process. Each instance runs one poller thread: while some rig is waiting here, it
asks the database every ``interval`` seconds which rigs got a queued command
recently (one indexed query, whatever the number of waiting rigs) and wakes those
waiters. A woken waiter claims its commands itself, so a spurious wake-up costs one
query. Waiters may sit on any event loop; they are woken thread-safely.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import select

from openrig.core.background import SharedThread
from openrig.core.db import Database, utcnow
from openrig.models import Command

log = logging.getLogger("openrig.waiters")

# Look back this far on every poll: covers clock differences between instances and
# commands committed after the previous poll's snapshot.
_OVERLAP = timedelta(seconds=10)

_Waiter = tuple[asyncio.AbstractEventLoop, asyncio.Event]


class CommandWaiters:
    def __init__(self, database: Database, interval_s: float = 0.5) -> None:
        self._database = database
        self._interval = interval_s
        self._waiting: dict[str, set[_Waiter]] = {}
        self._lock = threading.Lock()
        self._thread = SharedThread("command-waiters", self._run)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._thread.stop()

    async def wait(self, rig_id: str, timeout_s: float) -> bool:
        """Sleep until a command may be queued for ``rig_id``; False on timeout."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiting.setdefault(rig_id, set()).add(waiter)
        try:
            await asyncio.wait_for(waiter[1].wait(), timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            with self._lock:
                waiters = self._waiting.get(rig_id)
                if waiters is not None:
                    waiters.discard(waiter)
                    if not waiters:
                        del self._waiting[rig_id]

    @property
    def waiting_count(self) -> int:
        with self._lock:
            return sum(len(w) for w in self._waiting.values())

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self._interval):
            with self._lock:
                if not self._waiting:
                    continue
            try:
                rig_ids = self._recently_queued(utcnow() - _OVERLAP)
            except Exception:  # a database hiccup must not kill the poller
                log.exception("command poll failed")
                continue
            self._wake(rig_ids)

    def _wake(self, rig_ids: set[str]) -> None:
        with self._lock:
            woken = [w for rig_id in rig_ids for w in self._waiting.get(rig_id, ())]
        for loop, event in woken:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def _recently_queued(self, since: datetime) -> set[str]:
        with self._database.session(write=False) as db:
            rows = db.scalars(
                select(Command.rig_id)
                .where(Command.status == "queued", Command.created_at >= since)
                .distinct()
            )
            return set(rows)
