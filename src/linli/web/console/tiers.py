"""会员等级: the tier ladder (growth thresholds and benefits), the black card, and how growth is earned."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.http import Db
from linli.core.security import Principal
from linli.tier import service as tiers
from linli.web.console import loyalty_forms as forms
from linli.web.console.campaign_forms import FormErrors
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import render

router = APIRouter()
PATH = "/console/loyalty/tiers"


@router.get("/loyalty/tiers")
def tiers_page(request: Request, p: ConsoleOperator, s: Db, saved: str = "") -> Response:
    return _page(request, p, s, forms.tier_values(tiers.program(s, p.tenant_id)), FormErrors(), saved=saved == "1")


@router.post("/loyalty/tiers")
def save_tiers(request: Request, p: ConsoleOperator, s: Db, fields: forms.Fields) -> Response:
    errors = FormErrors()
    data = forms.read_tiers(errors, fields, forms.action_kinds(tiers.program(s, p.tenant_id)))
    if data is None:
        return _page(request, p, s, fields, errors, status_code=422)
    tiers.set_program(s, p, data)
    return RedirectResponse(f"{PATH}?saved=1", status_code=303)


def _page(request: Request, p: Principal, s: Session, values: dict[str, str], errors: FormErrors, *,
          saved: bool = False, status_code: int = 200) -> Response:
    prog = tiers.program(s, p.tenant_id)
    return render(request, "console/tiers.html", status_code=status_code, p=p, nav="tiers", title="会员等级",
                  program=prog, values=values, errors=errors.fields, saved=saved, levels=forms.LEVELS,
                  kinds=forms.action_kinds(prog), black_holders=tiers.black_card_holders(s, p.tenant_id))
