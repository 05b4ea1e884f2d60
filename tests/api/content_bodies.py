"""Bad-input cases of 邻里圈 posts, comments, reviews and polls (see bad_bodies.Spec)."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from tests.api.bad_bodies import NOWHERE, Spec, changed, without
from tests.api.conftest import Populated


def content_specs(w: Populated) -> list[Spec]:
    body = {"body": "楼下的桂花开了 #秋天#"}
    review = {"order_id": w.picked_order_id, "product_id": w.product_id, "stars": 5, "body": "很新鲜"}
    poll = {"title": "下周团购什么", "options": ["葡萄", "柚子"],
            "deadline": (clock.now() + timedelta(days=3)).isoformat()}
    return [
        Spec("POST /api/v1/posts", "/posts", "member", body, [
            ("empty body", changed(body, "body", ""), 422, "validation_error"),
            ("body too long", changed(body, "body", "长" * 2001), 422, "validation_error"),
            ("ten images", {**body, "images": ["0" * 64 + ".png"] * 10}, 422, "validation_error"),
            ("image not uploaded", {**body, "images": ["0" * 64 + ".png"]}, 422, "unknown_image"),
            ("image name a path", {**body, "images": ["../secret_key"]}, 422, "validation_error"),
            ("unknown kind", {**body, "kind": "ad"}, 422, "validation_error"),
            ("another community", {**body, "community_id": NOWHERE}, 422, "not_your_community"),
        ]),
        Spec("POST /api/v1/posts/{post_id}/comments", f"/posts/{w.post_id}/comments", "member", {"body": "真香"}, [
            ("empty", {"body": " "}, 422, "validation_error"),
            ("501 characters", {"body": "长" * 501}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/posts/{post_id}/dwell", f"/posts/{w.post_id}/dwell", "member", {"ms": 5000}, [
            ("negative", {"ms": -1}, 422, "validation_error"),
            ("string", {"ms": "5000"}, 422, "validation_error"),
            ("a day and more", {"ms": 86_400_001}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/posts/{post_id}/status", f"/posts/{w.post_id}/status", "operator", {"action": "pin"}, [
            ("unknown action", {"action": "delete"}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/reviews", "/reviews", "member", review, [
            ("six stars", changed(review, "stars", 6), 422, "validation_error"),
            ("no stars", without(review, "stars"), 422, "validation_error"),
            ("not in the order", changed(review, "product_id", w.other_product_id), 422, "product_not_in_order"),
            ("unknown order", changed(review, "order_id", NOWHERE), 404, "order_not_found"),
        ], ok=(201, 409)),
        Spec("POST /api/v1/polls", "/polls", "operator", poll, [
            ("one option", changed(poll, "options", ["葡萄"]), 422, "validation_error"),
            ("eleven options", changed(poll, "options", [str(i) for i in range(11)]), 422, "validation_error"),
            ("same option twice", changed(poll, "options", ["葡萄", "葡萄"]), 422, "duplicate_options"),
            ("deadline passed", changed(poll, "deadline", "2000-01-01T00:00:00+08:00"), 422, "invalid_deadline"),
            ("more choices than options", {**poll, "max_choices": 3}, 422, "invalid_max_choices"),
            ("unknown community", {**poll, "community_id": NOWHERE}, 422, "unknown_community"),
        ]),
        Spec("POST /api/v1/polls/{poll_id}/votes", f"/polls/{w.poll_id}/votes", "member",
             {"option_ids": [w.poll_option_id]}, [
                 ("no option", {"option_ids": []}, 422, "validation_error"),
                 ("unknown option", {"option_ids": [NOWHERE]}, 422, "unknown_option"),
                 ("too many", {"option_ids": [w.poll_option_id, NOWHERE]}, 422, "too_many_choices"),
             ], ok=(201, 409)),
        Spec("POST /api/v1/polls/{poll_id}/options", f"/polls/{w.poll_id}/options", "member", {"text": "外婆卤味"}, [
            ("empty", {"text": ""}, 422, "validation_error"),
        ], ok=(201, 409)),
        Spec("POST /api/v1/poll-options/{poll_option_id}/decision", f"/poll-options/{w.poll_option_id}/decision",
             "operator", {"approved": True}, [
                 ("string", {"approved": "yes"}, 422, "validation_error"),
             ]),
    ]
