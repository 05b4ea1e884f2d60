"""Who may see the console: an operator holding a valid token in the `linli_token` cookie (path /console).
After an expired session on a form POST the operator goes back to the page named by the Referer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from linli.core.security import Principal
from linli.web.guard import Face

FACE = Face(role="operator", cookie="linli_token", home="/console", form_return="referer")
ConsoleOperator = Annotated[Principal, Depends(FACE.require)]
