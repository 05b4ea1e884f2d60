"""Attachments: photos and one voice recording by their magic bytes, capped, served only to the ticket's
member and operators."""

from __future__ import annotations

import pytest

from linli.feedback import attachments
from tests.feedback.helpers import get, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 64
MP3 = b"ID3\x03\x00" + b"\x00" * 64
AMR = b"#!AMR\n" + b"\x00" * 64


def _upload(t, headers, ticket_id, content, name="f.bin", content_type="application/octet-stream"):
    return t.client.post(f"/api/v1/feedback/tickets/{ticket_id}/attachments", headers=headers,
                         files={"file": (name, content, content_type)})


@pytest.mark.parametrize("content,kind", [
    (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    (MP3, "audio/mpeg"), (b"\xff\xfb\x90\x00", "audio/mpeg"), (b"\xff\xf1\x50\x80", "audio/aac"),
    (b"\x00\x00\x00\x20ftypM4A \x00", "audio/mp4"), (AMR, "audio/amr"), (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"OggS\x00\x02", "audio/ogg"), (WEBM, "audio/webm"), (b"<svg onload=alert(1)>", None), (b"GIF89a....", None)])
def test_types_by_magic_bytes(content, kind):
    if kind is None:
        with pytest.raises(Exception, match="只支持"):
            attachments._kind(content)
    else:
        assert attachments._kind(content)[1] == kind


def test_upload_serve_and_refuse(make, monkeypatch):
    t = make.tenant()
    _, mh = t.member()
    _, other_h = t.member()
    ticket = submit(t, mh)
    r = _upload(t, mh, ticket["id"], PNG, "a.png", "image/png")
    assert r.status_code == 201 and r.json()["kind"] == "image"
    voice = _upload(t, mh, ticket["id"], WEBM, "v.webm", "audio/webm")
    assert voice.status_code == 201 and voice.json()["kind"] == "voice"
    again = _upload(t, mh, ticket["id"], MP3)
    assert again.status_code == 422 and again.json()["error"]["code"] == "too_many_attachments"
    bad = _upload(t, mh, ticket["id"], b"<html><script>x</script>", "x.png", "image/png")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unsupported_file_type"
    monkeypatch.setattr(attachments, "MAX_IMAGE_BYTES", 100)
    big = _upload(t, mh, ticket["id"], PNG + b"\x00" * 200)
    assert big.status_code == 422 and big.json()["error"]["code"] == "file_too_large"
    assert _upload(t, other_h, ticket["id"], PNG).status_code == 404

    url = voice.json()["url"]
    own = t.client.get(url, headers=mh)
    assert own.status_code == 200 and own.content == WEBM and own.headers["content-type"] == "audio/webm"
    assert t.client.get(url, headers=t.op).status_code == 200
    assert t.client.get(url, headers=other_h).status_code == 404
    assert t.client.get(url).status_code == 401
    detail = get(t, f"/feedback/tickets/{ticket['id']}")
    assert [a["kind"] for a in detail["attachments"]] == ["image", "voice"]
