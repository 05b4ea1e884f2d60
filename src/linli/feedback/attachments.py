"""Attachments of a ticket: photos (JPEG, PNG, WebP) and one voice recording (MP3, M4A, AAC, AMR, WAV, Ogg,
WebM). The bytes decide the type (magic bytes; images through core/uploads.py), sizes are capped, and the
files live under `var/private/feedback/` — never the public media folder: only the ticket's member and
operators are served them, through a checked route."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sqlalchemy.orm import Session

from linli.core import clock, uploads
from linli.core.errors import Invalid, NotFound
from linli.core.runtime import get_runtime
from linli.core.security import Principal
from linli.feedback import repository as repo
from linli.feedback import service
from linli.models import FeedbackAttachment

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_VOICE_BYTES = 10 * 1024 * 1024
MAX_IMAGES, MAX_VOICES = 6, 1
IMAGES = {uploads.JPEG: "jpg", uploads.PNG: "png", uploads.WEBP: "webp"}
VOICES = {"audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/aac": "aac", "audio/amr": "amr", "audio/wav": "wav",
          "audio/ogg": "ogg", "audio/webm": "webm"}
EXTENSIONS = {**{v: k for k, v in IMAGES.items()}, **{v: k for k, v in VOICES.items()}}
NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|webp|mp3|m4a|aac|amr|wav|ogg|webm)", re.ASCII)


def sniff_voice(content: bytes) -> str | None:
    """The audio type the bytes start with, or None."""
    head = content[:16]
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM (as MediaRecorder writes in browsers)
        return "audio/webm"
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso", b"MSN", b"3gp", b"M4B"):
        return "audio/mp4"
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS sync, layer 00: raw AAC
            return "audio/aac"
        if head[1] & 0xE0 == 0xE0 and (head[1] >> 1) & 0x3 == 0x1:  # MPEG frame sync, layer III
            return "audio/mpeg"
    return None


def attach(s: Session, p: Principal, ticket_id: int, content: bytes) -> FeedbackAttachment:
    """The member's file on their own open ticket; 422 for an empty, oversized, unknown or surplus file."""
    ticket = service.visible(s, p, ticket_id, lock=True)
    if p.role != "member":
        raise NotFound("feedback not found", code="feedback_not_found")
    if ticket.status == "closed":
        raise Invalid("反馈已关闭，不能再添加附件", code="feedback_closed")
    if not content:
        raise Invalid("文件是空的", code="empty_file")
    kind, content_type = _kind(content)
    cap = MAX_IMAGE_BYTES if kind == "image" else MAX_VOICE_BYTES
    if len(content) > cap:
        raise Invalid(f"{'图片' if kind == 'image' else '语音'}不能超过 {cap // 1024 // 1024} MB",
                      code="file_too_large")
    have = [a.kind for a in repo.attachments(s, p.tenant_id, ticket_id)]
    if have.count(kind) >= (MAX_IMAGES if kind == "image" else MAX_VOICES):
        raise Invalid("图片最多 6 张，语音最多 1 段", code="too_many_attachments")
    name = _store(content, IMAGES.get(content_type) or VOICES[content_type])
    row = FeedbackAttachment(tenant_id=p.tenant_id, ticket_id=ticket_id, kind=kind, content_type=content_type,
                             stored_name=name, size_bytes=len(content), created_at=clock.now())
    s.add(row)
    s.flush()
    return row


def file_of(s: Session, p: Principal, attachment_id: int) -> tuple[Path, str]:
    """(file, content type) of an attachment the caller may see: the ticket's member or an operator."""
    row = repo.attachment(s, p.tenant_id, attachment_id)
    if row is None:
        raise NotFound("attachment not found", code="attachment_not_found")
    service.visible(s, p, row.ticket_id)  # 404 for anyone else
    path = _dir() / row.stored_name
    if not NAME.fullmatch(row.stored_name) or not path.is_file():
        raise NotFound("attachment not found", code="attachment_not_found")
    return path, row.content_type


def url_of(attachment_id: int) -> str:
    return f"/api/v1/feedback/attachments/{attachment_id}"


def _kind(content: bytes) -> tuple[str, str]:
    image = uploads.sniff(content)
    if image in IMAGES:
        return "image", image
    voice = sniff_voice(content)
    if voice is not None:
        return "voice", voice
    raise Invalid("只支持 JPEG/PNG/WebP 图片和 MP3/M4A/AAC/AMR/WAV/OGG/WebM 语音", code="unsupported_file_type")


def _store(content: bytes, ext: str) -> str:
    name = f"{hashlib.sha256(content).hexdigest()}.{ext}"
    path = _dir() / name
    if not path.exists():  # content-addressed: the same bytes are stored once
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    return name


def _dir() -> Path:
    return Path(get_runtime().settings.var_dir) / "private" / "feedback"
