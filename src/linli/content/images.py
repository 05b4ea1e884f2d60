"""Post images: the bytes must really be an image (the shared magic-byte check in core/uploads.py), stored once
per content under `var/media/posts/<sha256>.<ext>` and served by that immutable name."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from linli.core import uploads
from linli.core.errors import Invalid
from linli.core.runtime import get_runtime

MAX_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {"jpg": uploads.JPEG, "png": uploads.PNG, "gif": uploads.GIF, "webp": uploads.WEBP}
EXTENSIONS = {kind: ext for ext, kind in CONTENT_TYPES.items()}
NAME = re.compile(r"[0-9a-f]{64}\.(jpg|png|gif|webp)", re.ASCII)


def store(content: bytes, declared: str | None = None) -> str:
    """Checks and stores the bytes; returns the stored name. 422 for an empty, oversized or non-image file."""
    if not content:
        raise Invalid("the file is empty", code="empty_file")
    if len(content) > MAX_BYTES:
        raise Invalid("an image may be at most 5 MB", code="file_too_large")
    kind = uploads.checked(content, declared, CONTENT_TYPES.values())
    name = f"{hashlib.sha256(content).hexdigest()}.{EXTENSIONS[kind]}"
    path = _dir() / name
    if not path.exists():  # content-addressed: the same bytes are stored once
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{hashlib.sha256(name.encode()).hexdigest()[:8]}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    return name


def exists(name: str) -> bool:
    return path_of(name) is not None


def path_of(name: str) -> tuple[Path, str] | None:
    """(file, content type) of a stored image name, or None for a name that is not one of ours."""
    if not NAME.fullmatch(name):
        return None
    path = _dir() / name
    return (path, CONTENT_TYPES[name.rsplit(".", 1)[1]]) if path.is_file() else None


def url_of(name: str) -> str:
    return f"/api/v1/post-images/{name}"


def _dir() -> Path:
    return Path(get_runtime().settings.var_dir) / "media" / "posts"
