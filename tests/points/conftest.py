from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from linli.core.db import Database
from linli.core.security import Principal
from linli.points import service
from linli.points.schemas import RulesIn
from tests.factories import Factory, TenantKit


@dataclass
class Bank:
    """A tenant with members, and short-hands for the points service in its own transactions."""

    t: TenantKit
    db: Database
    _seq: itertools.count = field(default_factory=itertools.count)

    def counter(self) -> int:
        return next(self._seq)

    def member(self) -> tuple[int, dict[str, str]]:
        m, headers = self.t.member()
        return m["id"], headers

    def run(self, fn: Any, *args: Any, **kw: Any) -> Any:
        with self.db.unit_of_work() as s:
            return fn(s, self.t.tenant_id, *args, **kw)

    def balance(self, member_id: int) -> int:
        return int(self.run(service.balance, member_id))

    def rules(self, **changes: Any) -> None:
        data = RulesIn.model_validate({**RulesIn().model_dump(), **changes}, strict=False)
        with self.db.unit_of_work() as s:
            service.set_rules(s, Principal(0, self.t.tenant_id, self.t.slug, "operator"), data)


@pytest.fixture
def bank(make: Factory, db: Database) -> Bank:
    return Bank(make.tenant(), db)


@pytest.fixture
def bank_with_member(bank: Bank) -> tuple[Bank, int, int]:
    """One member for every example of a property test (building a tenant per example is slow)."""
    m, _ = bank.t.member()
    bank.rules(expiry="days", expiry_days=30)
    return bank, m["id"], m["user_id"]
