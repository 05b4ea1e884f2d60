"""The campaign create forms: their product choices, and reading them — text fields in, exact values
out, or a Chinese message per field.

Money is parsed as a decimal string (never float): "9.90" -> 990 fen."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.catalog.schemas import ProductOut
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal

MAX_FEN = 10**12
_MONEY = re.compile(r"(\d{1,10})(?:\.(\d{1,2}))?", re.ASCII)
_INT = re.compile(r"\d{1,9}", re.ASCII)
_LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?", re.ASCII)
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class FormErrors:
    """Collects one message per field while a form is read."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.fields)


class Created(Protocol):
    id: int


def created(s: Session, errors: FormErrors, create: Callable[[], Created], stock_field: str,
            short_of_stock: str, price_label: str) -> int | None:
    """Create a campaign whose units are set aside from the product's stock: its id, or None with the refusal
    in `errors` (and the transaction rolled back)."""
    try:
        return create().id
    except (Conflict, Invalid) as exc:
        s.rollback()
        if exc.code == "insufficient_stock":
            errors.add(stock_field, short_of_stock)
        elif exc.code == "unknown_product":
            errors.add("product_id", "商品不存在。")
        elif exc.code == "price_not_below_list":
            errors.add("price", f"{price_label}必须低于商品原价。")
        elif exc.code == "product_off_shelf":
            errors.add("product_id", "商品已下架，请先上架。")
        else:
            errors.add("form", "创建失败，请检查填写的内容。")
        return None


class Listed(Protocol):
    product_id: int


def fen(errors: FormErrors, field: str, text: str, label: str) -> int:
    """A positive yuan amount with at most two decimals, e.g. "9.9", "9.90" or "12"; 0 on error."""
    text = text.strip().lstrip("¥￥").strip()
    match = _MONEY.fullmatch(text)
    if not match:
        errors.add(field, f"{label}请填写金额（元），例如 9.90，最多两位小数。")
        return 0
    value = int(Decimal(text) * 100)  # exact: a decimal of at most two places times 100 is whole
    if value <= 0:
        errors.add(field, f"{label}必须大于 0。")
    elif value > MAX_FEN:
        errors.add(field, f"{label}过大。")
    return value


def integer(errors: FormErrors, field: str, text: str, label: str, low: int, high: int) -> int:
    """A whole number in [low, high]; 0 on error."""
    text = text.strip()
    if not _INT.fullmatch(text):
        errors.add(field, f"{label}请填写 {low}–{high} 之间的整数。")
        return 0
    value = int(text)
    if not low <= value <= high:
        errors.add(field, f"{label}请填写 {low}–{high} 之间的整数。")
    return value


def optional_integer(errors: FormErrors, field: str, text: str, label: str, low: int, high: int) -> int | None:
    return integer(errors, field, text, label, low, high) if text.strip() else None


def local_time(errors: FormErrors, field: str, text: str, label: str) -> datetime | None:
    """A datetime-local value ("2025-05-01T10:00") read as Asia/Shanghai time; aware UTC out."""
    text = text.strip()
    if not _LOCAL_TIME.fullmatch(text):
        errors.add(field, f"{label}请选择日期和时间。")
        return None
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        errors.add(field, f"{label}不是有效的日期时间。")
        return None
    return clock.as_utc(naive)  # a naive time means Asia/Shanghai


def local_input(at: datetime) -> str:
    """An instant as a datetime-local value in Asia/Shanghai time."""
    return clock.local(at).strftime(LOCAL_INPUT_FORMAT)


def next_minutes(minutes: int = 0) -> datetime:
    """The next whole minute from now, plus `minutes` (form defaults)."""
    now = clock.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    return now + timedelta(minutes=minutes)


def product_choices(s: Session, p: Principal, limit: int = 500) -> list[ProductOut]:
    """The products a campaign can be made of (active ones, newest first) for the form's select."""
    rows, _ = catalog.search_products(s, p, None, None, limit, None)
    return [r for r in rows if r.is_active]


def product_names(s: Session, p: Principal, ids: set[int], known: list[ProductOut]) -> dict[int, str]:
    """Names for a page's products: from the choices already loaded, else looked up once each."""
    names = {r.id: r.name for r in known if r.id in ids}
    for product_id in sorted(ids - names.keys()):
        try:
            names[product_id] = catalog.get_product(s, p, product_id).name
        except NotFound:
            continue
    return names
