"""The HTML error page of the faces' routes (console, member app, workbench): a browser that follows a wrong
link or types a bad parameter sees a short Chinese page with a way back, not the API's JSON. A request that asks
for JSON (a page's own fetch, `Accept: application/json`) and every path outside the faces keep the JSON shape."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from linli.web.faces import face_of

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")

# status -> (title, what to tell the user)
_TEXT = {
    400: ("请求有误", "请求的内容无法识别，请返回上一页后重试。"),
    401: ("请先登录", "登录已失效，请重新登录。"),
    403: ("没有权限", "您没有权限进行此操作。"),
    404: ("页面不存在", "您访问的页面不存在，可能链接有误或内容已被删除。"),
    405: ("不支持的操作", "该页面不支持这种访问方式，请从页面上的按钮或链接进入。"),
    409: ("操作未完成", "当前状态不允许此操作，请刷新页面查看最新情况后重试。"),
    413: ("内容过大", "提交的内容超过了大小限制，请压缩图片或减少内容后重试。"),
    422: ("参数有误", "链接或表单中的参数不正确，请返回上一页检查后重试。"),
    429: ("操作过于频繁", "请稍后再试。"),
    500: ("系统繁忙", "服务器出了点问题，请稍后再试。"),
    503: ("服务暂不可用", "部分服务暂时不可用，请稍后再试。"),
}
_BY_CODE = {"cross_site_request": ("请求被拒绝",
                                   "为了您的账户安全，只接受从本站页面提交的操作。请回到页面后重新提交。")}
_BACK = {"/console": "返回运营后台首页", "/m": "回到首页", "/w": "返回工作台"}


def page(request: Request, status: int, code: str, message: str) -> Response | None:
    face = face_of(request.url.path)
    if face is None or _wants_json(request):
        return None
    title, detail = _BY_CODE.get(code) or _TEXT.get(status) or _TEXT[500 if status >= 500 else 400]
    return templates.TemplateResponse(request, "error.html", {
        "status": status, "code": code, "title": title, "detail": detail, "home": face.home,
        "back": _BACK.get(face.home, "返回首页")}, status_code=status)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def install(app: FastAPI) -> None:
    app.state.error_page = page
