"""HTTP shapes of product batches and their entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from linli.core.clock import as_utc
from linli.core.schemas import Id, In, Instant, Out


def _utc_seconds(at: datetime) -> datetime:
    try:
        return as_utc(at).replace(microsecond=0)  # the chain's canonical form keeps whole seconds
    except OverflowError as exc:
        raise ValueError("time out of range") from exc


TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc_seconds)]
DateIn = Annotated[date, Field(strict=False, ge=date(2000, 1, 1), le=date(2100, 12, 31))]
BatchCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40,
                                             pattern=r"^[A-Za-z0-9_\-]+$")]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Optional60 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
Optional100 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]
Stage = Literal["planting", "harvest", "production", "inspection", "storage", "transport", "arrival", "sold_out"]

STAGES: dict[str, str] = {"planting": "种植", "harvest": "采摘", "production": "生产", "inspection": "质检",
                          "storage": "入库", "transport": "运输", "arrival": "到店/自提点", "sold_out": "售罄"}
REASONS: dict[str, str] = {"header_changed": "批次信息被改动", "version_unknown": "未知的记录格式",
                           "seq_gap": "记录缺失或顺序被改动", "prev_mismatch": "与上一条记录的链接断开",
                           "hash_mismatch": "记录内容被改动"}


class BatchIn(In):
    code: BatchCode
    product_id: Id
    origin: Text100
    producer: Text100
    produced_on: DateIn
    quantity: Annotated[int, Field(ge=0, le=10**9)]
    unit: Unit = "件"
    inspection_no: Optional60 = ""
    notes: Note = ""


class EntryIn(In):
    stage: Stage
    occurred_at: TimeIn
    place: Optional100 = ""
    operator: Optional60 = ""
    details: Note = ""


class EntryOut(Out):
    id: Id
    seq: int
    stage: str
    stage_label: str
    occurred_at: Instant
    place: str
    operator: str
    details: str
    prev_hash: str
    hash: str
    created_at: Instant


class VerifyOut(Out):
    ok: bool
    entries: int
    broken_seq: int | None
    reason: str | None
    message: str  # 链路校验通过 / 已被篡改: …


class BatchOut(Out):
    id: Id
    code: str
    product_id: Id
    product_name: str
    origin: str
    producer: str
    produced_on: date
    quantity: int
    unit: str
    inspection_no: str
    notes: str
    header_hash: str
    trace_url: str  # the public page (/t/{token}): no login
    entries_count: int
    first_at: Instant | None
    last_at: Instant | None
    created_at: Instant


class BatchDetailOut(BatchOut):
    entries: list[EntryOut]
    verification: VerifyOut


@dataclass(frozen=True)
class BatchInfo:
    """What another domain needs of a batch: crisis compensation finds the orders of the product bought
    while the batch was on sale. first_at: when it was received (first 入库/到店 entry, else the first entry);
    last_at: when it sold out (the 售罄 entry), else its last entry; both None without entries."""

    id: int
    code: str
    product_id: int
    origin: str
    first_at: datetime | None
    last_at: datetime | None
    sold_out: bool
