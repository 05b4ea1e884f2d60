"""One product in the console: create, edit, picture, stock adjustment (through the ledger) and 上架/下架.

Every form answers with a redirect on success (so a reload does not post again) or the page with the reason in
Chinese. The stock form carries a one-time key, so a double click adjusts once."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import images, products, stock
from linli.catalog import service as catalog
from linli.catalog.schemas import ProductIn, ProductOut, ProductPatch
from linli.core import idempotency
from linli.core.errors import Conflict, Invalid, LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.console import campaign_forms as forms
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=400)]
REASONS = {"restock": "补货入库", "adjust": "盘点调整", "damage": "损耗报废"}
MOVEMENT_REASONS = {**REASONS, "initial": "初始库存", "order": "订单出库", "cancel": "取消退回", "refund": "退款退回",
                    "flash_sale": "秒杀预留/退回", "group_buy": "拼团预留/退回"}
_DELTA = re.compile(r"[+-]?\d{1,9}", re.ASCII)
_FORM_KEY = re.compile(r"[0-9a-f]{32}", re.ASCII)
# service refusals -> (form field, message)
_MESSAGES = {
    "insufficient_stock": ("delta", "库存不足：调整后库存不能小于 0。"),
    "invalid_delta": ("delta", "调整数量不能为 0。"),
    "unsupported_file_type": ("image", "只能上传 JPEG、PNG、GIF 或 WebP 图片（按文件内容识别）。"),
    "file_too_large": ("image", "图片不能超过 5 MB。"),
    "empty_file": ("image", "请选择要上传的图片。"),
}


@router.get("/products/new")
def new_product(request: Request, p: ConsoleOperator, s: Db) -> Response:
    values = {"name": "", "price": "", "stock": "0", "category": "", "unit": "份", "description": "",
              "is_fresh": ""}
    return _form(request, p, s, values, forms.FormErrors())


@router.post("/products/new")
def create_product(request: Request, p: ConsoleOperator, s: Db, name: Text = "", price: Text = "",
                   stock_text: Annotated[str, Form(alias="stock", max_length=100)] = "", category: Text = "",
                   unit: Text = "", description: LongText = "", is_fresh: Text = "") -> Response:
    values = {"name": name, "price": price, "stock": stock_text, "category": category, "unit": unit,
              "description": description, "is_fresh": is_fresh}
    errors = forms.FormErrors()
    fields = _read(errors, values)
    initial = forms.integer(errors, "stock", stock_text or "0", "初始库存", 0, 10**9)
    if errors:
        return _form(request, p, s, values, errors, status_code=422)
    created = catalog.create_product(s, p, ProductIn(stock=initial, **fields))
    return RedirectResponse(f"/console/products/{created.id}?done=created", status_code=303)


@router.get("/products/{product_id}")
def product_page(request: Request, p: ConsoleOperator, s: Db, product_id: str, done: str = "") -> Response:
    product = _find(s, p, product_id)
    if product is None:
        return _not_found(request, p, product_id)
    return _page(request, p, s, product, _values(product), forms.FormErrors(), done=done)


@router.post("/products/{product_id}")
def save_product(request: Request, p: ConsoleOperator, s: Db, product_id: str, name: Text = "", price: Text = "",
                 category: Text = "", unit: Text = "", description: LongText = "", is_fresh: Text = "") -> Response:
    product = _find(s, p, product_id)
    if product is None:
        return _not_found(request, p, product_id)
    values = {"name": name, "price": price, "category": category, "unit": unit, "description": description,
              "is_fresh": is_fresh}
    errors = forms.FormErrors()
    fields = _read(errors, values)
    if errors:
        return _page(request, p, s, product, values, errors, status_code=422)
    products.update(s, p, product.id, ProductPatch(**fields))
    return RedirectResponse(f"/console/products/{product.id}?done=saved", status_code=303)


@router.post("/products/{product_id}/image")
def upload_image(request: Request, p: ConsoleOperator, s: Db, product_id: str,
                 image: Annotated[UploadFile | None, File()] = None) -> Response:
    product = _find(s, p, product_id)
    if product is None:
        return _not_found(request, p, product_id)
    content = image.file.read(images.MAX_BYTES + 1) if image is not None else b""
    try:
        products.attach_image(s, p, product.id, content)
    except Invalid as exc:
        return _refused(request, p, s, product, exc)
    return RedirectResponse(f"/console/products/{product.id}?done=image", status_code=303)


@router.post("/products/{product_id}/stock")
def adjust_stock(request: Request, p: ConsoleOperator, s: Db, product_id: str, delta: Text = "",
                 reason: Text = "", note: Text = "", form_key: Text = "") -> Response:
    product = _find(s, p, product_id)
    if product is None:
        return _not_found(request, p, product_id)
    errors = forms.FormErrors()
    text = delta.strip()
    if not _DELTA.fullmatch(text) or int(text) == 0:
        errors.add("delta", "请填写非 0 的整数：正数为入库，负数为出库，例如 20 或 -5。")
    if reason not in REASONS:
        errors.add("reason", "请选择调整原因。")
    if not _FORM_KEY.fullmatch(form_key):
        errors.add("delta", "表单已失效，请刷新页面后重试。")
    if errors:
        return _page(request, p, s, product, _values(product), errors, status_code=422,
                     adjust={"delta": delta, "reason": reason, "note": note})
    # the form's one-time key: a second submit of the same form finds the first and changes nothing
    record, earlier = idempotency.claim(s, p.tenant_id, p.user_id, f"console:stock:{form_key}",
                                        idempotency.fingerprint("POST", f"/console/products/{product.id}/stock",
                                                                f"{text}|{reason}|{note.strip()}".encode()))
    if earlier is None:
        try:
            stock.adjust(s, p, product.id, int(text), reason, note.strip()[:200])
        except Conflict as exc:
            return _refused(request, p, s, product, exc, adjust={"delta": delta, "reason": reason, "note": note})
        assert record is not None
        idempotency.remember(record, 303, {"product_id": product.id})
    return RedirectResponse(f"/console/products/{product.id}?done=stock", status_code=303)


@router.post("/products/{product_id}/shelf")
def set_shelf(request: Request, p: ConsoleOperator, s: Db, product_id: str, on_shelf: Text = "") -> Response:
    product = _find(s, p, product_id)
    if product is None:
        return _not_found(request, p, product_id)
    products.set_on_shelf(s, p, product.id, on_shelf == "1")
    return RedirectResponse(f"/console/products/{product.id}?done={'on' if on_shelf == '1' else 'off'}",
                            status_code=303)


def _read(errors: forms.FormErrors, v: dict[str, str]) -> dict[str, Any]:
    """The fields both forms share, checked; values for ProductIn / ProductPatch."""
    name, category, unit = v["name"].strip(), v["category"].strip(), v["unit"].strip() or "份"
    if not name:
        errors.add("name", "请填写商品名称。")
    price_fen = forms.fen(errors, "price", v["price"], "价格")
    if not category:
        errors.add("category", "请填写或选择分类。")
    elif len(category) > 40:
        errors.add("category", "分类最多 40 个字。")
    if len(unit) > 20:
        errors.add("unit", "单位最多 20 个字。")
    description = v["description"].strip()
    if len(description) > 200:
        errors.add("description", "商品描述最多 200 个字。")
    return {"name": name, "price_fen": price_fen, "category": category, "unit": unit, "description": description,
            "is_fresh": v["is_fresh"] == "1"}


def _values(product: ProductOut) -> dict[str, str]:
    return {"name": product.name, "price": f"{product.price_fen // 100}.{product.price_fen % 100:02d}",
            "category": product.category, "unit": product.unit, "description": product.description,
            "is_fresh": "1" if product.is_fresh else ""}


def _find(s: Session, p: Principal, product_id: str) -> ProductOut | None:
    if not is_id(product_id):
        return None
    try:
        return catalog.get_product(s, p, int(product_id))
    except NotFound:
        return None


def _refused(request: Request, p: Principal, s: Session, product: ProductOut, exc: LinliError,
             **context: Any) -> Response:
    """A service refusal: nothing it began is kept, and the page says why."""
    s.rollback()
    errors = forms.FormErrors()
    field, message = _MESSAGES.get(exc.code, ("form", "操作失败，请检查填写的内容。"))
    errors.add(field, message)
    return _page(request, p, s, catalog.get_product(s, p, product.id), _values(product), errors, status_code=422,
                 **context)


def _form(request: Request, p: Principal, s: Session, values: dict[str, str], errors: forms.FormErrors,
          status_code: int = 200) -> Response:
    return render(request, "console/product_new.html", status_code=status_code, p=p, nav="products",
                  title="新建商品", values=values, errors=errors.fields,
                  categories=[name for _, name in catalog.categories(s, p)])


def _page(request: Request, p: Principal, s: Session, product: ProductOut, values: dict[str, str],
          errors: forms.FormErrors, status_code: int = 200, done: str = "",
          adjust: dict[str, str] | None = None) -> Response:
    movements, _ = products.movements(s, p, product.id, 20, None)
    return render(request, "console/product_detail.html", status_code=status_code, p=p, nav="products",
                  title=f"商品 {product.name}", product=product, values=values, errors=errors.fields, done=done,
                  categories=[name for _, name in catalog.categories(s, p)], movements=movements,
                  reasons=REASONS, movement_reasons=MOVEMENT_REASONS, form_key=uuid.uuid4().hex,
                  adjust=adjust or {"delta": "", "reason": "restock", "note": ""})


def _not_found(request: Request, p: Principal, product_id: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="products", title="未找到",
                  message=f"商品 {product_id} 不存在。", back_url="/console/products")
