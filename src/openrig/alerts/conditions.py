"""Which rigs meet which rule right now: set-based queries, refined per rig with its
effective rules, turned into observations that say what is wrong in plain words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from openrig.alerts import repository_eval as repo
from openrig.alerts.rules import RuleBook

SHARES_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Obs:
    """A rule whose condition is true for a rig, with the numbers behind it."""

    rig_id: str
    farm_id: str
    group_id: str | None
    rule: str
    summary: str
    values: dict[str, Any] = field(default_factory=dict)
    since: datetime | None = None  # when it became true, if known (else: now)


def hashrate_text(hs: float) -> str:
    for unit, size in (("TH/s", 1e12), ("GH/s", 1e9), ("MH/s", 1e6), ("kH/s", 1e3)):
        if hs >= size:
            return f"{hs / size:.1f} {unit}"
    return f"{hs:.0f} H/s"


def clock(at: datetime | None) -> str:
    return at.strftime("%H:%M:%S UTC") if at else "never"


def _obs(row: Any, rule: str, summary: str, **values: Any) -> Obs:
    return Obs(row.rig_id, row.farm_id, row.group_id, rule, summary, values)


def _enabled(book: RuleBook, row: Any, rule: str) -> dict[str, Any] | None:
    return book.rule(row.farm_id, row.group_id, row.rig_id, rule)


def offline(db: Session, now: datetime, book: RuleBook) -> Iterator[Obs]:
    for row in repo.offline_rows(db, now):
        if _enabled(book, row, "rig_offline"):
            yield Obs(
                row.rig_id,
                row.farm_id,
                row.group_id,
                "rig_offline",
                f"no report since {clock(row.last_seen_at)}",
                {"last_seen_at": row.last_seen_at.isoformat() if row.last_seen_at else None},
                since=row.offline_after,
            )


def rig_state_rules(db: Session, now: datetime, book: RuleBook) -> Iterator[Obs]:
    for row in repo.miner_down_rows(db, now):
        if _enabled(book, row, "miner_down"):
            yield _obs(row, "miner_down", "the miner is not running")
    for row in repo.zero_hashrate_rows(db, now):
        if _enabled(book, row, "zero_hashrate"):
            yield _obs(row, "zero_hashrate", "the miner runs at 0 H/s", hashrate_hs=0)
    for row in repo.gpu_lost_rows(db, now):
        if _enabled(book, row, "gpu_lost"):
            text = f"{row.gpu_count} of {row.inventory_gpus} GPUs reporting"
            yield _obs(row, "gpu_lost", text, gpus=row.gpu_count, inventory=row.inventory_gpus)


def hashrate_low(db: Session, now: datetime, book: RuleBook) -> Iterator[Obs]:
    floor = book.loosest("hashrate_low", "min_hs", high=True)
    drop = book.loosest("hashrate_low", "drop_pct", high=False)
    for row in repo.hashrate_low_rows(db, now, floor, 1 - drop / 100):
        rule = _enabled(book, row, "hashrate_low")
        if rule is None:
            continue
        hs, median = row.hashrate_hs, row.median_hs or 0.0
        limit = median * (1 - rule["drop_pct"] / 100) if rule["drop_pct"] > 0 else 0.0
        if rule["min_hs"] > 0 and hs < rule["min_hs"]:
            text = f"hashrate {hashrate_text(hs)}, floor {hashrate_text(rule['min_hs'])}"
        elif median > 0 and hs < limit:
            pct = round(100 * (1 - hs / median))
            text = f"hashrate {hashrate_text(hs)}, {pct} % under its 1-hour median "
            text += hashrate_text(median)
        else:
            continue
        yield _obs(row, "hashrate_low", text, hashrate_hs=hs, median_hs=median)


def _gpu_problems(rows: Sequence[Any], rule: dict[str, Any]) -> list[str]:
    found = []
    for g in rows:
        if g.temp is not None and g.temp >= rule["core_c"]:
            found.append(f"GPU {g.idx} at {g.temp:.0f} °C, limit {rule['core_c']:g} °C")
        if g.mem is not None and g.mem >= rule["mem_c"]:
            found.append(f"GPU {g.idx} memory at {g.mem:.0f} °C, limit {rule['mem_c']:g} °C")
    return found


def _fan_problems(rows: Sequence[Any], rule: dict[str, Any]) -> list[str]:
    found = []
    for g in rows:
        if g.temp is None or g.temp < rule["temp_c"] or (g.fan is not None and g.fan > 0):
            continue
        fan = "unreadable" if g.fan is None else "at 0 %"
        found.append(f"GPU {g.idx} fan {fan} at {g.temp:.0f} °C")
    return found


def gpu_rules(db: Session, now: datetime, book: RuleBook) -> Iterator[Obs]:
    rows = repo.hot_gpu_rows(
        db,
        now,
        core=book.loosest("gpu_temp_high", "core_c", high=False),
        mem=book.loosest("gpu_temp_high", "mem_c", high=False),
        fan_temp=book.loosest("fan_failure", "temp_c", high=False),
    )
    per_rig: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        per_rig[row.rig_id].append(row)
    for gpus in per_rig.values():
        gpus.sort(key=lambda g: g.idx)
        first = gpus[0]
        for name, check in (("gpu_temp_high", _gpu_problems), ("fan_failure", _fan_problems)):
            rule = _enabled(book, first, name)
            problems = check(gpus, rule) if rule else []
            if problems:
                yield _obs(first, name, "; ".join(problems), problems=problems)


def shares(db: Session, now: datetime, book: RuleBook) -> Iterator[Obs]:
    for row in repo.share_rows(db, now, SHARES_WINDOW):
        rule = _enabled(book, row, "shares_rejected_high")
        total = row.accepted + row.rejected
        if rule is None or total <= 0:
            continue
        pct = 100 * row.rejected / total
        if pct > rule["ratio_pct"]:
            text = f"{pct:.1f} % of shares rejected over 15 min ({row.rejected} of {total}), "
            text += f"limit {rule['ratio_pct']:g} %"
            yield _obs(row, "shares_rejected_high", text, rejected=row.rejected, total=total)


def collect(db: Session, now: datetime, book: RuleBook, slow: bool) -> list[Obs]:
    found = [
        *offline(db, now, book),
        *rig_state_rules(db, now, book),
        *hashrate_low(db, now, book),
        *gpu_rules(db, now, book),
    ]
    if slow:
        found += shares(db, now, book)
    return found
