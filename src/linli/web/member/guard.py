"""Who may use the member app: a member holding a valid token in the `linli_member` cookie (path /m).
After an expired session on a form POST the member goes back to the page it was on (same-host Referer only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from linli.core.security import Principal
from linli.web.guard import Face

FACE = Face(role="member", cookie="linli_member", home="/m", claim="member_id", form_return="same_site")
MemberPage = Annotated[Principal, Depends(FACE.require)]
