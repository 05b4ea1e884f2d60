"""邻里圈: the community wall with its topic filter, a post with like / favourite / comments and dwell reporting,
the compose form (text and up to 9 images), and writing a review of a picked-up order's product."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.content import engagement, images, reviews, service
from linli.content.schemas import MAX_IMAGES, CommentIn, PostIn, PostOut, ReviewIn
from linli.core.errors import LinliError
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.member.guard import MemberPage
from linli.web.member.templating import render

router = APIRouter()
KINDS = {"ugc": "邻里", "pgc": "官方", "recipe": "菜谱", "review": "晒单"}
_TEXT = {"post_not_published": "这条动态还在审核中。", "unknown_image": "图片上传失败，请重试。",
         "unsupported_file_type": "只能上传 JPEG、PNG、GIF 或 WebP 图片。", "file_too_large": "图片不能超过 5 MB。",
         "already_reviewed": "这件商品已经评价过了。", "not_picked_up": "订单提货后才能评价。",
         "product_not_in_order": "订单里没有这件商品。"}


def _message(exc: LinliError) -> str:
    if exc.code == "sensitive_content":
        return exc.message
    return _TEXT.get(exc.code, "操作失败，请检查后再试。")


def _invalid_text(exc: ValidationError) -> str:
    return "内容不能为空，且不超过字数上限。" if exc.errors() else "输入有误。"


@router.get("/community")
def wall_page(request: Request, p: MemberPage, s: Db, topic: str = "") -> Response:
    topic = topic.strip("# ")[:20]
    posts, nxt = service.wall(s, p, None, topic or None, None, 30, None)
    return render(request, "member/community.html", p=p, title="邻里圈", tab="community", posts=posts,
                  topic=topic, kinds=KINDS, topics=_topics(posts))


def _topics(posts: list[PostOut]) -> list[str]:
    seen: list[str] = []
    for post in posts:
        for t in post.topics:
            if t not in seen:
                seen.append(t)
    return seen[:12]


@router.get("/community/posts/{post_id}")
def post_page(request: Request, p: MemberPage, s: Db, post_id: int) -> Response:
    return _post(request, p, s, post_id)


def _post(request: Request, p: Principal, s: Session, post_id: int, error: str | None = None,
          status_code: int = 200) -> Response:
    try:
        post = service.get(s, p, post_id)
    except LinliError:
        return render(request, "member/not_found.html", 404, p=p, title="动态不存在", back="/m/community",
                      message="动态不存在或已删除。")
    if post.status == "published" and status_code == 200:
        engagement.view(s, p, post_id)
        post.views += 1
    products = [catalog.brief(s, p.tenant_id, pid) for pid in post.product_ids]
    if post.review_product_id:
        products.append(catalog.brief(s, p.tenant_id, post.review_product_id))
    return render(request, "member/post.html", status_code, p=p, title=KINDS.get(post.kind, "动态"),
                  back="/m/community", post=post, comments=engagement.comments(s, p, post_id), products=products,
                  kinds=KINDS, error=error)


@router.post("/community/posts/{post_id}/react")
def react(request: Request, p: MemberPage, s: Db, post_id: int,
          kind: Annotated[str, Form(max_length=10)] = "") -> Response:
    if kind not in ("like", "favourite"):
        return _post(request, p, s, post_id, "操作无效。", 422)
    try:
        engagement.react(s, p, post_id, kind, None)
    except LinliError as exc:
        s.rollback()
        return _post(request, p, s, post_id, _message(exc), exc.status)
    return RedirectResponse(f"/m/community/posts/{post_id}#actions", status_code=303)


@router.post("/community/posts/{post_id}/comments")
def comment(request: Request, p: MemberPage, s: Db, post_id: int,
            body: Annotated[str, Form(max_length=2000)] = "") -> Response:
    try:
        engagement.comment(s, p, post_id, CommentIn(body=body))
    except ValidationError:
        return _post(request, p, s, post_id, "评论为 1-500 字。", 422)
    except LinliError as exc:
        s.rollback()
        return _post(request, p, s, post_id, _message(exc), exc.status)
    return RedirectResponse(f"/m/community/posts/{post_id}#comments", status_code=303)


@router.post("/community/posts/{post_id}/dwell")
def dwell(p: MemberPage, s: Db, post_id: int, ms: Annotated[str, Form(max_length=12)] = "") -> Response:
    """Sent by the page when it is hidden or left (fetch keepalive); nonsense is ignored."""
    if ms.isascii() and ms.isdigit():
        try:
            engagement.dwell(s, p, post_id, min(int(ms), 24 * 3600 * 1000))
        except LinliError:
            s.rollback()
    return Response(status_code=204)


@router.get("/community/new")
def compose_page(request: Request, p: MemberPage) -> Response:
    return render(request, "member/compose.html", p=p, title="发动态", back="/m/community", body="",
                  max_images=MAX_IMAGES)


def _store(files: list[UploadFile]) -> list[str]:
    names = []
    for f in files[:MAX_IMAGES + 1]:
        content = f.file.read(images.MAX_BYTES + 1)
        if content:  # an empty file input sends an empty part
            names.append(images.store(content, f.content_type))
    return names


@router.post("/community/new")
def compose(request: Request, p: MemberPage, s: Db, body: Annotated[str, Form(max_length=4000)] = "",
            files: Annotated[list[UploadFile], File()] = []) -> Response:  # noqa: B006 (FastAPI default)
    def again(error: str, status: int) -> Response:
        return render(request, "member/compose.html", status, p=p, title="发动态", back="/m/community", body=body,
                      max_images=MAX_IMAGES, error=error)

    if len([f for f in files if f.filename]) > MAX_IMAGES:
        return again(f"最多上传 {MAX_IMAGES} 张图片。", 422)
    try:
        post = service.create(s, p, PostIn(body=body, images=_store(files)))
    except ValidationError as exc:
        return again(_invalid_text(exc), 422)
    except LinliError as exc:
        s.rollback()
        return again(_message(exc), exc.status)
    return RedirectResponse(f"/m/community/posts/{post.id}", status_code=303)


@router.get("/reviews/new")
def review_page(request: Request, p: MemberPage, s: Db) -> Response:
    return render(request, "member/review_new.html", p=p, title="评价晒单", back="/m/orders",
                  pending=reviews.pending(s, p))


@router.post("/reviews/new")
def review(request: Request, p: MemberPage, s: Db, item: Annotated[str, Form(max_length=40)] = "",
           stars: Annotated[str, Form(max_length=1)] = "5", body: Annotated[str, Form(max_length=4000)] = "",
           files: Annotated[list[UploadFile], File()] = []) -> Response:  # noqa: B006
    order_id, _, product_id = item.partition(":")
    try:
        if not (order_id.isdigit() and product_id.isdigit() and stars.isdigit()):
            raise LinliError("pick a product", code="pick_a_product")
        post = reviews.create(s, p, ReviewIn(order_id=int(order_id), product_id=int(product_id), stars=int(stars),
                                             body=body, images=_store(files)))
    except (ValidationError, LinliError) as exc:
        s.rollback()
        error = _message(exc) if isinstance(exc, LinliError) else "评分 1-5 星，内容不能为空。"
        if isinstance(exc, LinliError) and exc.code == "pick_a_product":
            error = "请选择要评价的商品。"
        return render(request, "member/review_new.html", 422, p=p, title="评价晒单", back="/m/orders",
                      pending=reviews.pending(s, p), error=error, body=body)
    return RedirectResponse(f"/m/community/posts/{post.id}", status_code=303)
