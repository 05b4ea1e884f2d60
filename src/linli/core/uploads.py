"""Uploaded files are what their bytes say they are, never what the client declares: a small magic-byte check
shared by every upload, so a stored file is only ever served with the type of its bytes."""

from __future__ import annotations

from collections.abc import Collection

from linli.core.errors import Invalid

PNG, JPEG, WEBP, GIF, PDF = "image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf"
# a client that does not know the type says so; that claims nothing the bytes could contradict
UNDECLARED = frozenset({"", "application/octet-stream"})
ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG}
HEAD_BYTES = 16  # enough for every signature below


def sniff(content: bytes) -> str | None:
    """The content type the bytes start with: PNG, JPEG, WebP, GIF or PDF; None for anything else (SVG and
    HTML on purpose: documents that can carry script)."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if content.startswith(b"%PDF-"):
        return PDF
    return None


def checked(content: bytes, declared: str | None, allowed: Collection[str]) -> str:
    """The type of `content` if it is one of `allowed` and agrees with the declared type (when one is
    declared); else 422 `unsupported_file_type`."""
    kind = sniff(content)
    said = (declared or "").split(";", 1)[0].strip().lower()
    said = ALIASES.get(said, said)
    if kind is None or kind not in allowed or (said not in UNDECLARED and said != kind):
        names = ", ".join(sorted(allowed))
        raise Invalid(f"file: the content must be one of {names} (and agree with its declared type)",
                      code="unsupported_file_type")
    return kind
