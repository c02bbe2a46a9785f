"""Report ingestion with group commit.

The hot path of the whole server (≈3,300 reports/s for 100,000 rigs). A request only
parses and validates its report, queues it and awaits the result. Once per turn of
the event loop, everything queued in that turn is written in one transaction with a
fixed number of statements — authenticate every token in one SELECT, upsert the
latest state, insert the samples, pick up pending commands — and every waiting
request is answered. Nothing is acknowledged before it is committed, and nothing
lives only in this process: a second instance works the same way.

The write runs on the event loop thread on purpose. A writer thread was measured
first: it spent most of each batch waiting to get the GIL back after every database
call (the event loop holding it), which made batches small and slow. Writing in the
loop costs a few milliseconds of loop time per batch, during which new reports pile
up in the socket buffers — to be written together in the next batch.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openrig.core.db import Database, utcnow
from openrig.rigapi import ingest_sql
from openrig.rigapi.schemas import ReportIn

log = logging.getLogger("openrig.ingest")

MAX_BATCH = 1000


@dataclass
class Pending:
    hashed_token: str
    received_at: datetime
    report: ReportIn
    future: asyncio.Future[dict[str, Any] | None] = field(repr=False)


@dataclass
class _LoopQueue:
    items: list[Pending] = field(default_factory=list)
    scheduled: bool = False


class ReportIngestor:
    """Per event loop: a queue of reports and at most one scheduled flush."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._queues: dict[asyncio.AbstractEventLoop, _LoopQueue] = {}

    def start(self) -> None:
        """Nothing to start: flushes are scheduled on demand (kept for the lifespan)."""

    def stop(self) -> None:
        self._queues.clear()

    async def submit(self, hashed_token: str, report: ReportIn) -> dict[str, Any] | None:
        """Store one report; the answer for the rig, or None for an unknown token."""
        loop = asyncio.get_running_loop()
        queue = self._queues.setdefault(loop, _LoopQueue())
        future: asyncio.Future[dict[str, Any] | None] = loop.create_future()
        queue.items.append(Pending(hashed_token, utcnow(), report, future))
        if not queue.scheduled:
            queue.scheduled = True
            # call_soon: after the callbacks already ready in this turn, so that every
            # report that arrived in the same turn joins the batch.
            loop.call_soon(self._flush, queue)
        return await future

    def _flush(self, queue: _LoopQueue) -> None:
        queue.scheduled = False
        while queue.items:
            batch, queue.items = queue.items[:MAX_BATCH], queue.items[MAX_BATCH:]
            self._write(batch)

    def _write(self, batch: list[Pending]) -> None:
        try:
            with self._database.writer_engine.begin() as conn:
                answers = ingest_sql.store_batch(conn, batch, utcnow())
        except Exception as exc:  # fail this batch's requests, keep serving
            log.exception("report batch of %d failed", len(batch))
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(exc)
            return
        for item, answer in zip(batch, answers, strict=True):
            if not item.future.done():
                item.future.set_result(answer)
