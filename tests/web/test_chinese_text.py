"""UI text is Chinese (zh-CN) first: the main pages of the console, the member app and the workbench show no
English words — codes, ids and a few well-known abbreviations aside."""

from __future__ import annotations

import html
import re
from typing import Any

from linli.leader import ladder
from linli.leader import service as leaders
from linli.referral import service as referrals
from tests.api.conftest import populated

ALLOWED = {"GMV", "ID", "CSV", "Excel", "SOP", "VIP", "QR", "PDF", "PNG", "JPEG", "WebP", "WiFi", "App", "H5",
           "linli", "Linli", "LTV", "RFM", "ECharts", "htmx", "API"}
TOKEN = re.compile(r"[A-Za-z0-9'’]+")  # a token with a digit is a code (invite codes, order numbers), not a word
HIDDEN = re.compile(r"<!--.*?-->|<(script|style|template)\b.*?</\1>", re.S | re.I)
SHOWN_ATTRS = re.compile(r'\s(?:placeholder|title|aria-label|alt)="([^"]*)"', re.I)


def english(page: str) -> set[str]:
    """Latin words a reader sees (with a little of their context): the text between tags and the attributes
    shown to them."""
    page = HIDDEN.sub(" ", page)
    shown = " ".join(SHOWN_ATTRS.findall(page)) + " " + re.sub(r"<[^>]*>", " ", page)
    shown = re.sub(r"https?://\S+|[\w.+-]+@[\w.-]+", " ", html.unescape(shown))  # addresses are not prose
    shown = re.sub(r"\s+", " ", shown)
    return {f"{m.group()} … {shown[max(m.start() - 20, 0):m.end() + 20]}" for m in TOKEN.finditer(shown)
            if len(m.group()) >= 3 and m.group().isalpha() and m.group() not in ALLOWED}


def _cookies(client: Any, w: Any) -> None:
    for name, path, headers in (("linli_token", "/console", w.op), ("linli_member", "/m", w.member_h),
                                ("linli_leader", "/w", w.leader_h)):
        token = headers["Authorization"].split(" ", 1)[1]
        client.cookies.set(name, token, domain="testserver.local", path=path)


def test_the_main_pages_show_no_english(client: Any, make: Any) -> None:
    w = populated(make)[0]
    with w.t.db.unit_of_work() as s:  # the leader's type and tier, with the reasons the detail page shows
        leaders.promote(s, w.t.tenant_id, w.leader_id)
        invite_code = referrals.code_for(s, w.t.tenant_id, w.member_id)  # a random code, letters only one time in ten
    _cookies(client, w)
    pages = ["/console", "/console/members", f"/console/members/{w.member_id}", "/console/products",
             "/console/communities", "/console/orders", f"/console/orders/{w.order_id}", "/console/leaders",
             f"/console/leaders/{w.leader_id}", f"/console/leaders/{w.recruit_leader_id}",
             "/console/leader-applications", "/console/withdrawals", "/console/flash-sales",
             f"/console/flash-sales/{w.flash_sale_id}", "/console/group-buys", f"/console/group-buys/{w.group_buy_id}",
             "/console/coupons", f"/console/coupons/{w.coupon_id}", "/console/loyalty/points-rules",
             "/console/loyalty/stages", "/console/loyalty/tiers", "/console/journeys",
             f"/console/journeys/{w.journey_id}", "/console/messages", "/console/messaging/settings",
             "/m/inbox", f"/m/inbox/{w.inbox_message_id}", "/m/inbox/preferences",
             "/m", "/m/me", "/m/orders", f"/m/orders/{w.order_id}", "/m/me/points", "/m/me/coupons",
             "/m/me/checkins", "/m/me/invite", f"/m/flash-sales/{w.flash_sale_id}", f"/m/group-buys/{w.group_buy_id}",
             f"/m/groups/{w.group_id}",
             "/w", "/w/orders", "/w/members", "/w/commission", "/w/calendar", "/w/materials", "/w/training",
             "/w/assessments", "/w/tasks"]
    found: dict[str, set[str]] = {}
    for url in pages:
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        words = english(r.text.replace(invite_code, " "))
        if words:
            found[url] = words
    assert found == {}, found


def test_leader_type_and_tier_reasons_are_chinese() -> None:
    """The reasons stored with a leader's type and tier are shown on the leader's pages as they are."""
    social = ladder.Measures(picked_up=30, buyers=20, new_members=2, community_members=100, gmv_fen=500_000,
                             repeat_buyers=10)
    quiet = ladder.Measures(picked_up=0, buyers=0, new_members=0, community_members=100, gmv_fen=0, repeat_buyers=0)
    reasons = [ladder.leader_type("resource", ["store"], quiet)[1], ladder.leader_type("resource", [], social)[1],
               ladder.leader_type("resource", [], quiet)[1], leaders.tier_reason(social)]
    assert all(not english(r) for r in reasons), reasons
