"""HTTP shapes of the moderation API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Out

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=r"^[^\x00]*$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500,
                                          pattern=r"^[^\x00]*$")]
WordText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50,
                                            pattern=r"^[^\x00]*$")]
Level = Literal["block", "review"]
SubjectKind = Literal["post", "comment", "member_name", "feedback", "poll", "rating"]
CaseTab = Literal["pending", "escalated", "decided"]
Category = Literal["gambling", "drugs", "weapons", "fraud", "counterfeit", "invoice", "porn", "contraband",
                   "violence", "contact", "fake_orders", "private_deal", "abuse", "competitor", "food_rumour",
                   "custom"]


class HitOut(Out):
    word: str
    category: str
    level: str
    start: int
    end: int
    matched: str


class CheckIn(In):
    text: Text


class CheckOut(Out):
    decision: Literal["pass", "review", "block"]
    hits: list[HitOut]
    highlighted: list[tuple[str, bool]]  # the text in pieces, True where a piece is a hit


class CaseOut(Out):
    id: int
    subject_kind: str
    subject_id: int
    author_member_id: int | None
    text: str
    hits: list[HitOut]
    status: str
    escalated_by: int | None
    escalation_reason: str | None
    escalated_at: Instant | None
    decided_by: int | None
    decided_level: str | None
    decision_reason: str | None
    decided_at: Instant | None
    created_at: Instant


class DecisionIn(In):
    decision: Literal["approve", "reject"]
    reason: Reason | None = None


class EscalateIn(In):
    reason: Reason


class WordIn(In):
    word: WordText
    level: Level
    category: Category = "custom"


class WordRefIn(In):
    word: WordText


class WordOut(Out):
    word: str
    category: str
    level: str
    builtin: bool
    enabled: bool


class SettingsIn(In):
    senior_user_ids: list[Id] = Field(max_length=50)


class SettingsOut(Out):
    words_version: int
    senior_user_ids: list[int]
