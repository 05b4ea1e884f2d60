"""Bad-input cases of the moderation API: the word check, review cases, the word list and the reviewers' settings
(see bad_bodies.Spec)."""

from __future__ import annotations

from tests.api.bad_bodies import NOWHERE, Spec, changed
from tests.api.conftest import Populated


def moderation_specs(w: Populated) -> list[Spec]:
    # blocked words are not here: moderation records a blocked screening in its own transaction (tests/moderation)
    word = {"word": "团购黑话", "level": "review", "category": "custom"}
    case = f"/moderation/cases/{w.moderation_case_id}"
    return [
        Spec("POST /api/v1/moderation/check", "/moderation/check", "operator", {"text": "楼下的桂花开了"}, [
            ("empty", {"text": ""}, 422, "validation_error"),
            ("too long", {"text": "长" * 4001}, 422, "validation_error"),
            ("number", {"text": 5}, 422, "validation_error"),
        ]),
        Spec("POST /api/v1/moderation/cases/{moderation_case_id}/decision", f"{case}/decision", "operator",
             {"decision": "approve", "reason": "正常留言"}, [
                 ("unknown decision", {"decision": "maybe"}, 422, "validation_error"),
                 ("a boolean", {"decision": True}, 422, "validation_error"),
                 ("blank reason", {"decision": "reject", "reason": "  "}, 422, "validation_error"),
                 ("reason too long", {"decision": "reject", "reason": "长" * 501}, 422, "validation_error"),
             ], ok=(200, 409)),
        Spec("POST /api/v1/moderation/cases/{moderation_case_id}/escalate", f"{case}/escalate", "operator",
             {"reason": "拿不准"}, [
                 ("blank reason", {"reason": " "}, 422, "validation_error"),
                 ("reason too long", {"reason": "长" * 501}, 422, "validation_error"),
             ], ok=(200, 409)),  # the decision above may have closed the case: the body still got through
        Spec("POST /api/v1/moderation/words", "/moderation/words", "operator", word, [
            ("unknown level", changed(word, "level", "warn"), 422, "validation_error"),
            ("unknown category", changed(word, "category", "weather"), 422, "validation_error"),
            ("blank word", changed(word, "word", "  "), 422, "validation_error"),
            ("word too long", changed(word, "word", "长" * 51), 422, "validation_error"),
            ("one character", changed(word, "word", "赌"), 422, "word_too_short"),
            ("punctuation only", changed(word, "word", "!!!"), 422, "invalid_word"),
        ], ok=(201,)),
        Spec("POST /api/v1/moderation/words/disable", "/moderation/words/disable", "operator", {"word": "加微信"}, [
            ("blank word", {"word": ""}, 422, "validation_error"),
            ("not on the list", {"word": "桂花开了"}, 404, "word_not_found"),
        ]),
        Spec("POST /api/v1/moderation/words/enable", "/moderation/words/enable", "operator", {"word": "加微信"}, [
            ("number", {"word": 7}, 422, "validation_error"),
            ("not on the list", {"word": "桂花开了"}, 404, "word_not_found"),
        ]),
        Spec("PUT /api/v1/moderation/settings", "/moderation/settings", "operator", {"senior_user_ids": []}, [
            ("a member's user", {"senior_user_ids": [w.member_user_id]}, 422, "invalid_senior_reviewer"),
            ("unknown user", {"senior_user_ids": [NOWHERE]}, 422, "invalid_senior_reviewer"),
            ("string id", {"senior_user_ids": ["1"]}, 422, "validation_error"),
            ("zero id", {"senior_user_ids": [0]}, 422, "validation_error"),
            ("51 reviewers", {"senior_user_ids": list(range(1, 52))}, 422, "validation_error"),
        ]),
    ]
