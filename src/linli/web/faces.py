"""The three faces that sign in by cookie, for what every page shares: the same-origin check on their form posts
(web/origin.py) and their error pages (web/error_pages.py)."""

from __future__ import annotations

from linli.web.console.guard import FACE as CONSOLE
from linli.web.guard import Face
from linli.web.member.guard import FACE as MEMBER
from linli.web.workbench.guard import FACE as WORKBENCH

FACES: tuple[Face, ...] = (CONSOLE, MEMBER, WORKBENCH)


def face_of(path: str) -> Face | None:
    """The face whose pages `path` belongs to (its home or below it)."""
    for face in FACES:
        if path == face.home or path.startswith(face.home + "/"):
            return face
    return None
