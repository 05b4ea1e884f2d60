"""Bad-input cases of the feedback kiosk, its bot and its console operations (see bad_bodies.Spec)."""

from __future__ import annotations

from tests.api.bad_bodies import NOWHERE, Spec, changed
from tests.api.conftest import Populated


def feedback_specs(w: Populated) -> list[Spec]:
    # blocked words are not here: moderation counts a blocked text in its own transaction (tests/feedback)
    ticket = {"category": "商品质量", "text": "苹果烂了两个", "order_id": w.order_id}
    faq = {"question": "可以开发票吗？", "answer": "可以，在订单详情申请。", "keywords": "发票", "category": "其他"}
    sla = {"first_response_minutes": 60, "resolution_minutes": 4320, "follow_up_minutes": 7200, "bot_min_score": 0.5}
    t = f"/feedback/tickets/{w.ticket_id}"
    return [
        Spec("POST /api/v1/feedback/tickets", "/feedback/tickets", "member", ticket, [
            ("unknown category", changed(ticket, "category", "投诉"), 422, "validation_error"),
            ("one character", changed(ticket, "text", "差"), 422, "validation_error"),
            ("too long", changed(ticket, "text", "长" * 1001), 422, "validation_error"),
            ("someone else's order", changed(ticket, "order_id", NOWHERE), 404, "order_not_found"),
        ]),
        Spec("POST /api/v1/feedback/tickets/{ticket_id}/confirm", f"{t}/confirm", "member", {"solved": True}, [
            ("rating 6", {"solved": True, "rating": 6}, 422, "validation_error"),
            ("string for solved", {"solved": "yes"}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("POST /api/v1/feedback/tickets/{ticket_id}/replies", f"{t}/replies", "operator", {"body": "收到"}, [
            ("blank", {"body": "  "}, 422, "validation_error"),
        ], ok=(201,)),
        Spec("POST /api/v1/feedback/tickets/{ticket_id}/assign", f"{t}/assign", "operator", {}, [
            ("a member's user", {"user_id": w.member_user_id}, 422, "invalid_assignee"),
            ("string id", {"user_id": "1"}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/feedback/tickets/{ticket_id}/resolve", f"{t}/resolve", "operator", {"note": "已补发"}, [
            ("blank note", {"note": ""}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("POST /api/v1/feedback/tickets/{ticket_id}/follow-up", f"{t}/follow-up", "operator", {"note": "满意"}, [
            ("blank note", {"note": " "}, 422, "validation_error"),
        ], ok=(200, 409)),
        Spec("POST /api/v1/feedback/bot/ask", "/feedback/bot/ask", "member", {"question": "几点可以去拿货"}, [
            ("one character", {"question": "?"}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/feedback/bot/exchanges/{exchange_id}/helpful",
             f"/feedback/bot/exchanges/{w.exchange_id}/helpful", "member", {"helpful": True}, [
                 ("string", {"helpful": "yes"}, 422, "validation_error"),
             ]),
        Spec("POST /api/v1/feedback/faq", "/feedback/faq", "operator", faq, [
            ("empty answer", changed(faq, "answer", ""), 422, "validation_error"),
            ("question too long", changed(faq, "question", "问" * 201), 422, "validation_error"),
        ]),
        Spec("PUT /api/v1/feedback/faq/{faq_id}", f"/feedback/faq/{w.faq_id}", "operator", faq, [
            ("category too long", changed(faq, "category", "类" * 21), 422, "validation_error"),
        ]),
        Spec("PUT /api/v1/feedback/settings", "/feedback/settings", "operator", sla, [
            ("response after resolution", changed(sla, "first_response_minutes", 5000), 422, "invalid_sla"),
            ("zero minutes", changed(sla, "first_response_minutes", 0), 422, "validation_error"),
        ]),
    ]
