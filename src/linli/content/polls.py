"""Polls (投票) and co-creation votes (共创): an operator (or a leader, for their own community) asks a question
with 2-10 options, single or multiple choice, until a deadline. One ballot per member and poll (the unique key
decides between concurrent votes); after the deadline a vote is 409 poll_closed. In a co-creation vote members
may propose an option: screened like a post (subject_kind "poll", subject_id the option), then published, held
for review or refused."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.community import service as community
from linli.content import repository as repo
from linli.content.schemas import OptionOut, OptionStatusOut, PollIn, PollOut, ProposalIn, VoteIn
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.models import Poll, PollBallot, PollOption
from linli.moderation import service as moderation

MAX_OPTIONS = 10


def _outs(s: Session, p: Principal, rows: Sequence[Poll]) -> list[PollOut]:
    ids = [r.id for r in rows]
    opts = repo.options(s, p.tenant_id, ids)
    votes = repo.vote_counts(s, p.tenant_id, ids)
    ballots = repo.ballot_counts(s, p.tenant_id, ids)
    mine = repo.my_choices(s, p.tenant_id, p.member_id, ids) if p.member_id else {}
    now = clock.now()
    out = []
    for r in rows:
        n = ballots.get(r.id, 0)
        shown = [o for o in opts if o.poll_id == r.id and (
            o.status == "published" or p.role == "operator"
            or (p.member_id is not None and o.proposed_by_member_id == p.member_id))]
        out.append(PollOut(
            id=r.id, kind=r.kind, title=r.title, description=r.description, community_id=r.community_id,
            max_choices=r.max_choices, deadline=r.deadline, closed=now >= r.deadline, ballots=n,
            options=[OptionOut(id=o.id, text=o.text, status=o.status, votes=votes.get(o.id, 0),
                               share=round(votes.get(o.id, 0) / n, 4) if n else 0.0,
                               proposed_by_member_id=o.proposed_by_member_id) for o in shown],
            my_choices=sorted(mine.get(r.id, [])), created_at=r.created_at))
    return out


def _community_of(s: Session, p: Principal) -> int | None:
    if p.role == "member" and p.member_id is not None:
        return members.require_member(s, p.tenant_id, p.member_id).community_id
    if p.role == "leader" and p.leader_id is not None:
        return leaders.profile(s, p.tenant_id, p.leader_id).community_id
    return None


def create(s: Session, p: Principal, data: PollIn) -> PollOut:
    community_id = data.community_id
    if p.role == "leader":  # a leader asks their own community only
        own = _community_of(s, p)
        if community_id is not None and community_id != own:
            raise Forbidden("a leader polls their own community", code="not_your_community")
        community_id = own
    elif community_id is not None:
        community.require_community(s, p.tenant_id, community_id, as_input=True)
    texts = [t.strip() for t in data.options]
    if len(set(texts)) != len(texts):
        raise Invalid("options must differ", code="duplicate_options")
    if data.max_choices > len(texts):
        raise Invalid("max_choices exceeds the number of options", code="invalid_max_choices")
    now = clock.now()
    if data.deadline <= now:
        raise Invalid("the deadline must be in the future", code="invalid_deadline")
    poll = Poll(tenant_id=p.tenant_id, kind=data.kind, title=data.title, description=data.description,
                community_id=community_id, max_choices=data.max_choices, deadline=data.deadline,
                created_by_user_id=p.user_id, created_at=now)
    s.add(poll)
    s.flush()
    s.add_all(PollOption(tenant_id=p.tenant_id, poll_id=poll.id, text=t, position=i, status="published",
                         created_at=now) for i, t in enumerate(texts, 1))
    s.flush()
    return _outs(s, p, [poll])[0]


def visible(s: Session, p: Principal, poll_id: int) -> Poll:
    poll = repo.poll(s, p.tenant_id, poll_id)
    if poll is None or (p.role != "operator" and poll.community_id is not None
                        and poll.community_id != _community_of(s, p)):
        raise NotFound("poll not found", code="poll_not_found")
    return poll


def get(s: Session, p: Principal, poll_id: int) -> PollOut:
    return _outs(s, p, [visible(s, p, poll_id)])[0]


def search(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[PollOut], str | None]:
    everyone = p.role == "operator"
    rows, nxt = fetch_page(s, repo.polls(p.tenant_id, None if everyone else _community_of(s, p), everyone),
                           Poll.id, limit, cursor)
    return _outs(s, p, rows), nxt


def vote(s: Session, p: Principal, poll_id: int, data: VoteIn) -> PollOut:
    return _outs(s, p, [cast(s, p, poll_id, data)])[0]


def cast(s: Session, p: Principal, poll_id: int, data: VoteIn) -> Poll:
    """vote() without the results (the demo casts many)."""
    if p.member_id is None:
        raise Forbidden("members vote", code="forbidden")
    poll = visible(s, p, poll_id)
    if clock.now() >= poll.deadline:
        raise Conflict("投票已截止", code="poll_closed")
    chosen = list(dict.fromkeys(data.option_ids))
    if len(chosen) > poll.max_choices:
        raise Invalid(f"choose at most {poll.max_choices}", code="too_many_choices")
    open_ids = {o.id for o in repo.options(s, p.tenant_id, [poll.id]) if o.status == "published"}
    if not set(chosen) <= open_ids:
        raise Invalid("an option is not one of this poll's", code="unknown_option")
    ballot = PollBallot(tenant_id=p.tenant_id, poll_id=poll.id, member_id=p.member_id, created_at=clock.now())
    try:
        with s.begin_nested():
            s.add(ballot)
            s.flush()
    except IntegrityError as exc:
        raise Conflict("你已经投过票了", code="already_voted") from exc
    repo.add_choices(s, p.tenant_id, ballot.id, poll.id, chosen)
    lifecycle.record_interaction(s, p.tenant_id, p.member_id, "vote", ref=f"poll:{poll.id}")
    return poll


def propose(s: Session, p: Principal, poll_id: int, data: ProposalIn) -> OptionStatusOut:
    if p.member_id is None:
        raise Forbidden("members propose", code="forbidden")
    poll = visible(s, p, poll_id)
    if poll.kind != "cocreation":
        raise Invalid("only a co-creation vote takes proposals", code="not_cocreation")
    if clock.now() >= poll.deadline:
        raise Conflict("投票已截止", code="poll_closed")
    existing = [o for o in repo.options(s, p.tenant_id, [poll.id]) if o.status != "rejected"]
    if len(existing) >= MAX_OPTIONS:
        raise Conflict(f"a poll has at most {MAX_OPTIONS} options", code="too_many_options")
    if any(o.text == data.text for o in existing):
        raise Conflict("this option already exists", code="duplicate_option")
    option = PollOption(tenant_id=p.tenant_id, poll_id=poll.id, text=data.text, status="pending_review",
                        position=repo.next_position(s, p.tenant_id, poll.id), proposed_by_member_id=p.member_id,
                        created_at=clock.now())
    s.add(option)
    s.flush()
    verdict = moderation.screen(s, p.tenant_id, subject_kind="poll", subject_id=option.id, text=data.text,
                                author_member_id=p.member_id)
    if verdict.decision == "block":
        raise moderation.sensitive_content(verdict)
    if verdict.decision == "pass":
        option.status = "published"
    return OptionStatusOut(id=option.id, poll_id=poll.id, text=option.text, status=option.status)


def decide_option(s: Session, tenant_id: int, option_id: int, approved: bool, force: bool = False) -> bool:
    """A moderator's (or, with force, an operator's) decision on a proposed option; only a pending one moves
    unless forced. Answers whether it changed."""
    option = repo.option(s, tenant_id, option_id)
    if option is None or (option.status != "pending_review" and not force):
        return False
    option.status = "published" if approved else "rejected"
    return True


def review_option(s: Session, p: Principal, option_id: int, approved: bool) -> OptionStatusOut:
    option = repo.option(s, p.tenant_id, option_id)
    if option is None:
        raise NotFound("option not found", code="option_not_found")
    decide_option(s, p.tenant_id, option_id, approved, force=True)
    return OptionStatusOut(id=option.id, poll_id=option.poll_id, text=option.text, status=option.status)
