"""积分规则: the earning rules with their daily caps, and the deduction and expiry settings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.http import Db
from linli.core.security import Principal
from linli.points import service as points
from linli.points.schemas import ACTIONS
from linli.web.console import loyalty_forms as forms
from linli.web.console.campaign_forms import FormErrors
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import render

router = APIRouter()
PATH = "/console/loyalty/points-rules"


@router.get("/loyalty/points-rules")
def rules_page(request: Request, p: ConsoleOperator, s: Db, saved: str = "") -> Response:
    return _page(request, p, forms.rule_values(points.rules(s, p.tenant_id)), FormErrors(), saved=saved == "1")


@router.post("/loyalty/points-rules")
def save_rules(request: Request, p: ConsoleOperator, s: Db, fields: forms.Fields) -> Response:
    errors = FormErrors()
    data = forms.read_rules(errors, fields)
    if data is None:
        return _page(request, p, fields, errors, status_code=422)
    points.set_rules(s, p, data)
    return RedirectResponse(f"{PATH}?saved=1", status_code=303)


def _page(request: Request, p: Principal, values: dict[str, str], errors: FormErrors, *, saved: bool = False,
          status_code: int = 200) -> Response:
    return render(request, "console/points_rules.html", status_code=status_code, p=p, nav="points_rules",
                  title="积分规则", values=values, errors=errors.fields, saved=saved, actions=ACTIONS,
                  action_labels=forms.ACTION_LABELS, expiry_choices=forms.EXPIRY)
