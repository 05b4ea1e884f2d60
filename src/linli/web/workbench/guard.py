"""Who may use the workbench: a leader holding a valid token in the `linli_leader` cookie (path /w).
After an expired session on a form POST the leader starts again from the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from linli.core.security import Principal
from linli.web.guard import Face

FACE = Face(role="leader", cookie="linli_leader", home="/w", claim="leader_id", form_return="home")
LeaderPage = Annotated[Principal, Depends(FACE.require)]
