"""Product images: the bytes must really be an image (magic bytes, not the declared type), stored once per
content under `var/media/products/<sha256>.<ext>` and served publicly by that name — a product photo is
shop-window material, and a content-hash name is immutable, so it may be cached for ever."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from linli.core import uploads
from linli.core.errors import Invalid
from linli.core.runtime import get_runtime

MAX_BYTES = 5 * 1024 * 1024
# the extension a stored image gets -> the content type it is served with
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
EXTENSIONS = {kind: ext for ext, kind in CONTENT_TYPES.items()}
NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|gif|webp)", re.ASCII)


def sniff(content: bytes) -> str | None:
    """The image format the bytes start with (a file extension), or None: JPEG, PNG, GIF, WebP only.
    SVG is refused on purpose: it is a document that can carry script."""
    return EXTENSIONS.get(uploads.sniff(content) or "")  # the shared magic-byte check (core/uploads.py)


def store(content: bytes) -> str:
    """Checks and stores the bytes; returns the stored name. 422 for an empty, oversized or non-image file."""
    if not content:
        raise Invalid("the file is empty", code="empty_file")
    if len(content) > MAX_BYTES:
        raise Invalid("an image may be at most 5 MB", code="file_too_large")
    ext = sniff(content)
    if ext is None:
        raise Invalid("the file is not a JPEG, PNG, GIF or WebP image", code="unsupported_file_type")
    name = f"{hashlib.sha256(content).hexdigest()}.{ext}"
    path = _dir() / name
    if not path.exists():  # content-addressed: the same bytes are stored once
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    return name


def path_of(name: str) -> tuple[Path, str] | None:
    """(file, content type) of a stored image name, or None for a name that is not one of ours."""
    if not NAME.fullmatch(name):
        return None
    path = _dir() / name
    return (path, CONTENT_TYPES[name.rsplit(".", 1)[1]]) if path.is_file() else None


def url_of(name: str | None) -> str | None:
    return f"/api/v1/product-images/{name}" if name else None


def _dir() -> Path:
    return Path(get_runtime().settings.var_dir) / "media" / "products"
