"""Form posts on the pages: a NUL in any text field is bad input (422, the faces' HTML error page) before any
handler runs. PostgreSQL can neither store nor compare text holding NUL, so it would otherwise surface as a 500
wherever a field reaches the database; the API's JSON bodies refuse it the same way (core/schemas.In)."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def refuse_nul(request: Request) -> None:
    if request.method != "POST" or not request.headers.get("content-type", "").startswith(FORMS):
        return
    form = await request.form()  # FastAPI has already read it for the route's fields: this is the cached copy
    for name, value in form.multi_items():
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):  # files may hold any bytes
            raise RequestValidationError([{"type": "value_error", "loc": ("body", name),
                                           "msg": "text must not contain NUL characters", "input": None}])


FORM_TEXT = [Depends(refuse_nul)]  # for a face's routers: include_router(..., dependencies=FORM_TEXT)
