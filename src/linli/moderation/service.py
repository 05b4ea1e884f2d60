"""Moderation: screen texts against the tenant's sensitive-word list, and the review cases that follow.

screen() is the entry point for every domain that takes text from people (posts, comments, member names,
feedback, poll options). "pass": no hit. "block": a prohibited term; the caller refuses (422
sensitive_content) and rolls back, the screening is still counted (blocked.py). "review": a suspicious term;
a case is queued and the caller keeps the item hidden until a person decides; the decision emits
`moderation.decided` {"subject_kind", "subject_id", "decision": "approved" | "rejected", "case_id"}.

Cases: pending (operator queue) -> approved | rejected, or -> escalated (senior queue) -> approved | rejected.
The cases and words API lives in cases.py and wordlist.py; this module keeps the cross-domain functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid
from linli.models import ModerationCase, ModerationScreening
from linli.moderation import blocked, lists
from linli.moderation import repository as repo
from linli.moderation.matcher import Hit

SUBJECT_KINDS = ("post", "comment", "member_name", "feedback", "poll", "rating")
MAX_CASE_TEXT = 4000


@dataclass(frozen=True)
class Verdict:
    decision: str  # pass | review | block
    hits: list[Hit] = field(default_factory=list)
    case_id: int | None = None

    @property
    def blocked(self) -> bool:
        return self.decision == "block"


def find_hits(s: Session, tenant_id: int, text: str) -> list[Hit]:
    """The hits of `text` against the tenant's current list, without recording anything."""
    return lists.matcher_for(s, tenant_id).find(text)


def decision_of(hits: list[Hit]) -> str:
    if not hits:
        return "pass"
    return "block" if any(h.level == "block" for h in hits) else "review"


def screen(s: Session, tenant_id: int, *, subject_kind: str, subject_id: int, text: str,
           author_member_id: int | None = None) -> Verdict:
    """Screen one text. Call it after the subject's row is flushed (subject_id exists); on "block" refuse with
    422 sensitive_content (see sensitive_content()), on "review" keep the item hidden until decided."""
    if subject_kind not in SUBJECT_KINDS:
        raise Invalid(f"subject_kind must be one of {', '.join(SUBJECT_KINDS)}", code="invalid_subject_kind")
    hits = find_hits(s, tenant_id, text)
    decision = decision_of(hits)
    if decision == "pass":
        return Verdict("pass")
    row = {"tenant_id": tenant_id, "subject_kind": subject_kind, "subject_id": subject_id,
           "decision": decision, "hits": len(hits), "created_at": clock.now()}
    if decision == "block":
        blocked.record_after_transaction(s, row)
        return Verdict("block", hits)
    s.add(ModerationScreening(**row))
    case = _queue_case(s, tenant_id, subject_kind, subject_id, text, hits, author_member_id)
    return Verdict("review", hits, case.id)


def _queue_case(s: Session, tenant_id: int, subject_kind: str, subject_id: int, text: str, hits: list[Hit],
                author_member_id: int | None) -> ModerationCase:
    """One open case per subject: an edited text that is still suspicious replaces the open case's text."""
    stored = [hit_dict(h) for h in hits]
    case = repo.open_case_for(s, tenant_id, subject_kind, subject_id)
    if case is not None and case.status == "pending":
        case.text, case.hits = text[:MAX_CASE_TEXT], stored
    else:
        case = ModerationCase(tenant_id=tenant_id, subject_kind=subject_kind, subject_id=subject_id,
                              author_member_id=author_member_id, text=text[:MAX_CASE_TEXT], hits=stored,
                              status="pending", created_at=clock.now())
        s.add(case)
    s.flush()
    return case


def hit_dict(h: Hit) -> dict[str, object]:
    return {"word": h.word, "category": h.category, "level": h.level, "start": h.start, "end": h.end,
            "matched": h.matched}


def sensitive_content(verdict: Verdict) -> Invalid:
    """The error a caller raises on "block" (422 sensitive_content, the words named)."""
    words = "、".join(dict.fromkeys(h.word for h in verdict.hits if h.level == "block"))
    return Invalid(f"内容包含违规词：{words}", code="sensitive_content")


def hit_count(s: Session, tenant_id: int, *, since: datetime, until: datetime) -> int:
    """Screened texts with hits (blocked or sent to review) in [since, until): the spike alert reads this."""
    return repo.hit_count(s, tenant_id, since, until)


def open_case(s: Session, tenant_id: int, subject_kind: str, subject_id: int) -> int | None:
    """The id of the subject's open case, if any (a member name under review shows as flagged)."""
    case = repo.open_case_for(s, tenant_id, subject_kind, subject_id)
    return case.id if case else None


def highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text in pieces, True for the pieces inside a hit (overlapping hits merged)."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
