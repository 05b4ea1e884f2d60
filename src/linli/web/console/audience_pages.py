"""标签与人群 (audience): the tag list and editor with a live preview count (htmx), the segment builder (all of /
any of / none of the chosen tags), member lists with CSV export, and running the bulk job now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.audience import service as audience
from linli.audience.features import GROUP_LABELS, RFM_CLASSES
from linli.audience.schemas import SegmentIn, TagIn, TagUpdate
from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import cursor_param, is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=2000)]
Short = Annotated[str, Form(max_length=200)]
ERRORS = {
    "unknown_tag_field": "规则里有未知的字段", "unknown_tag_operator": "规则里有未知的运算符",
    "tag_type_mismatch": "字段与值的类型不匹配（数字字段要写数字，文本字段要写带引号的文字）",
    "unknown_category": "规则里的分类不存在", "tag_rule_syntax": "规则写法有误", "empty_tag_rule": "请填写规则",
    "tag_rule_too_complex": "规则过长或嵌套过深", "tag_code_taken": "编码已被使用", "tag_name_taken": "名称已被使用",
    "tag_in_use": "该标签仍被人群使用，不能删除", "empty_segment": "请至少选择一个标签",
    "unknown_tag": "选择的标签不存在", "invalid_segment_definition": "人群条件有误",
    "segment_name_taken": "人群名称已被使用", "segment_archived": "该人群已删除", "validation_error": "输入有误",
}


def _error(exc: Exception) -> str:
    code = getattr(exc, "code", "validation_error")
    detail = getattr(exc, "message", "")
    text = ERRORS.get(code, "输入有误")
    return f"{text}（{detail}）" if code in ("unknown_tag_field", "unknown_category", "tag_rule_syntax") and detail \
        else text


def _not_found(request: Request, p: Principal, what: str, back: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="audience", title="未找到",
                  message=f"{what}不存在。", back_url=back)


# --- tags ----------------------------------------------------------------------------------------


@router.get("/audience/tags")
def tag_list(request: Request, p: ConsoleOperator, s: Db, notice: str = "") -> Response:
    st = audience.status(s, p)
    rfm = [(c, st.rfm_classes.get(c, 0)) for c in RFM_CLASSES]
    return render(request, "console/audience_tags.html", p=p, nav="audience", title="标签与人群",
                  tags=audience.list_tags(s, p), segments=audience.list_segments(s, p), status=st, rfm=rfm,
                  notice=notice[:100])


def _fields() -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for f in audience.fields():
        groups.setdefault(f.group, []).append(f)
    return [(GROUP_LABELS[g], items) for g, items in groups.items()]


def _editor(request: Request, p: Principal, s: Session, form: dict[str, str], tag_id: int | None,
            error: str | None = None, status_code: int = 200) -> Response:
    members = audience.members_page(s, p, "tag", tag_id, 50, None) if tag_id else None
    return render(request, "console/audience_tag_edit.html", status_code=status_code, p=p, nav="audience",
                  title="编辑标签" if tag_id else "新建标签", form=form, tag_id=tag_id, fields=_fields(),
                  members=members, error=error)


@router.get("/audience/tags/new")
def tag_new(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _editor(request, p, s, {"code": "", "name": "", "description": "", "rule": ""}, None)


@router.get("/audience/tags/{tag_id}")
def tag_page(request: Request, p: ConsoleOperator, s: Db, tag_id: str) -> Response:
    try:
        if not is_id(tag_id):
            raise NotFound("tag not found")
        t = audience.get_tag(s, p, int(tag_id))
    except NotFound:
        return _not_found(request, p, f"标签 {tag_id} ", "/console/audience/tags")
    return _editor(request, p, s, {"code": t.code, "name": t.name, "description": t.description, "rule": t.rule},
                   t.id)


@router.post("/audience/tags")
def tag_create(request: Request, p: ConsoleOperator, s: Db, code: Short = "", name: Short = "",
               description: Short = "", rule: Text = "") -> Response:
    form = {"code": code, "name": name, "description": description, "rule": rule}
    try:
        made = audience.create_tag(s, p, TagIn(code=code.strip(), name=name, description=description, rule=rule))
    except (LinliError, ValueError) as exc:
        s.rollback()
        return _editor(request, p, s, form, None, _error(exc), status_code=422)
    return RedirectResponse(f"/console/audience/tags/{made.id}", status_code=303)


@router.post("/audience/tags/preview")
def tag_preview(request: Request, p: ConsoleOperator, s: Db, rule: Text = "") -> Response:
    """The live count under the rule box (htmx): how many members match now, or what is wrong, in Chinese."""
    try:
        out = audience.preview_rule(s, p, rule)
        text, ok = f"当前匹配 {out.members} / {out.total} 位会员", True
    except LinliError as exc:
        text, ok = _error(exc), False
    return render(request, "console/_audience_preview.html", text=text, ok=ok)


@router.post("/audience/tags/{tag_id}")
def tag_update(request: Request, p: ConsoleOperator, s: Db, tag_id: str, name: Short = "", description: Short = "",
               rule: Text = "") -> Response:
    if not is_id(tag_id):
        return _not_found(request, p, f"标签 {tag_id} ", "/console/audience/tags")
    try:
        current = audience.get_tag(s, p, int(tag_id))
        audience.update_tag(s, p, int(tag_id), TagUpdate(name=name, description=description, rule=rule))
    except NotFound:
        return _not_found(request, p, f"标签 {tag_id} ", "/console/audience/tags")
    except (LinliError, ValueError) as exc:
        s.rollback()
        form = {"code": current.code, "name": name, "description": description, "rule": rule}
        return _editor(request, p, s, form, int(tag_id), _error(exc), status_code=422)
    return RedirectResponse(f"/console/audience/tags/{tag_id}", status_code=303)


@router.post("/audience/tags/{tag_id}/delete")
def tag_delete(request: Request, p: ConsoleOperator, s: Db, tag_id: str) -> Response:
    if not is_id(tag_id):
        return _not_found(request, p, f"标签 {tag_id} ", "/console/audience/tags")
    try:
        audience.delete_tag(s, p, int(tag_id))
    except NotFound:
        return _not_found(request, p, f"标签 {tag_id} ", "/console/audience/tags")
    except LinliError as exc:
        s.rollback()
        return RedirectResponse(f"/console/audience/tags?notice={_error(exc)}", status_code=303)
    return RedirectResponse("/console/audience/tags?notice=已删除标签", status_code=303)


@router.post("/audience/refresh")
def refresh_now(p: ConsoleOperator, s: Db) -> Response:
    run = audience.refresh(s, p.tenant_id)
    notice = (f"已计算 {run.members} 位会员、{run.tags} 个标签：新增 {run.tags_added}，移除 {run.tags_removed}；"
              f"人群进入 {run.segments_entered}，离开 {run.segments_left}")
    return RedirectResponse(f"/console/audience/tags?notice={notice}", status_code=303)


def _csv(body: bytes, name: str) -> Response:
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/audience/tags/{tag_id}/members.csv")
def tag_csv(request: Request, p: ConsoleOperator, s: Db, tag_id: str) -> Response:
    try:
        if not is_id(tag_id):
            raise NotFound("tag not found")
        return _csv(audience.members_csv(s, p, "tag", int(tag_id)), f"tag-{tag_id}")
    except NotFound:
        return _not_found(request, p, f"标签 {tag_id} ", "/console/audience/tags")


# --- segments ------------------------------------------------------------------------------------------


def _definition(all_tags: list[str], any_tags: list[str], no_tags: list[str]) -> dict[str, Any]:
    """The builder's three boxes as a definition: every one of all_tags, at least one of any_tags, none of no_tags."""
    parts: list[dict[str, Any]] = [{"tag": c} for c in all_tags]
    if any_tags:
        parts.append({"or": [{"tag": c} for c in any_tags]})
    if no_tags:
        parts.append({"not": {"or": [{"tag": c} for c in no_tags]}})
    return {"and": parts} if parts else {}


def _boxes(definition: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The builder's boxes back from a definition the builder made (other shapes show as JSON only)."""
    all_tags: list[str] = []
    any_tags: list[str] = []
    no_tags: list[str] = []
    for part in definition.get("and", [definition] if definition else []):
        if "tag" in part:
            all_tags.append(part["tag"])
        elif "or" in part:
            any_tags += [x.get("tag", "") for x in part["or"]]
        elif "not" in part:
            inner = part["not"]
            no_tags += [x.get("tag", "") for x in inner.get("or", [inner])]
    return all_tags, any_tags, no_tags


def _segment_page(request: Request, p: Principal, s: Session, segment_id: int | None, form: dict[str, Any],
                  error: str | None = None, status_code: int = 200, cursor: str = "") -> Response:
    members = audience.members_page(s, p, "segment", segment_id, 50, cursor_param(cursor)) if segment_id else None
    return render(request, "console/audience_segment.html", status_code=status_code, p=p, nav="audience",
                  title="编辑人群" if segment_id else "新建人群", segment_id=segment_id, form=form,
                  tags=audience.list_tags(s, p), members=members, error=error)


@router.get("/audience/segments/new")
def segment_new(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _segment_page(request, p, s, None, {"name": "", "description": "", "all": [], "any": [], "none": []})


@router.get("/audience/segments/{segment_id}")
def segment_page(request: Request, p: ConsoleOperator, s: Db, segment_id: str, cursor: str = "") -> Response:
    try:
        if not is_id(segment_id):
            raise NotFound("segment not found")
        g = audience.get_segment(s, p, int(segment_id))
    except NotFound:
        return _not_found(request, p, f"人群 {segment_id} ", "/console/audience/tags")
    all_tags, any_tags, no_tags = _boxes(g.definition)
    form = {"name": g.name, "description": g.description, "all": all_tags, "any": any_tags, "none": no_tags,
            "definition": g.definition, "archived": g.archived, "members": g.members}
    return _segment_page(request, p, s, g.id, form, cursor=cursor)


Picks = Annotated[list[str], Form(max_length=300)]


@router.post("/audience/segments/preview")
def segment_preview(request: Request, p: ConsoleOperator, s: Db, all_tags: Picks = [],  # noqa: B006
                    any_tags: Picks = [], no_tags: Picks = []) -> Response:  # noqa: B006
    try:
        out = audience.preview_segment(s, p, _definition(all_tags, any_tags, no_tags))
        text, ok = f"按最近一次计算的标签，共 {out.members} / {out.total} 位会员", True
    except LinliError as exc:
        text, ok = _error(exc), False
    return render(request, "console/_audience_preview.html", text=text, ok=ok)


def _save_segment(request: Request, p: Principal, s: Session, segment_id: int | None, name: str, description: str,
                  picks: tuple[list[str], list[str], list[str]]) -> Response:
    definition = _definition(*picks)
    try:
        data = SegmentIn(name=name, description=description, definition=definition)
        saved = (audience.update_segment(s, p, segment_id, data) if segment_id
                 else audience.create_segment(s, p, data))
    except NotFound:
        return _not_found(request, p, f"人群 {segment_id} ", "/console/audience/tags")
    except (LinliError, ValueError) as exc:
        s.rollback()
        form = {"name": name, "description": description, "all": picks[0], "any": picks[1], "none": picks[2]}
        return _segment_page(request, p, s, segment_id, form, _error(exc), status_code=422)
    return RedirectResponse(f"/console/audience/segments/{saved.id}", status_code=303)


@router.post("/audience/segments")
def segment_create(request: Request, p: ConsoleOperator, s: Db, name: Short = "", description: Short = "",
                   all_tags: Picks = [], any_tags: Picks = [], no_tags: Picks = []) -> Response:  # noqa: B006
    return _save_segment(request, p, s, None, name, description, (all_tags, any_tags, no_tags))


@router.post("/audience/segments/{segment_id}")
def segment_update(request: Request, p: ConsoleOperator, s: Db, segment_id: str, name: Short = "",
                   description: Short = "", all_tags: Picks = [], any_tags: Picks = [],  # noqa: B006
                   no_tags: Picks = []) -> Response:  # noqa: B006
    if not is_id(segment_id):
        return _not_found(request, p, f"人群 {segment_id} ", "/console/audience/tags")
    return _save_segment(request, p, s, int(segment_id), name, description, (all_tags, any_tags, no_tags))


@router.post("/audience/segments/{segment_id}/delete")
def segment_delete(request: Request, p: ConsoleOperator, s: Db, segment_id: str) -> Response:
    try:
        if not is_id(segment_id):
            raise NotFound("segment not found")
        audience.delete_segment(s, p, int(segment_id))
    except NotFound:
        return _not_found(request, p, f"人群 {segment_id} ", "/console/audience/tags")
    return RedirectResponse("/console/audience/tags?notice=已删除人群", status_code=303)


@router.get("/audience/segments/{segment_id}/members.csv")
def segment_csv(request: Request, p: ConsoleOperator, s: Db, segment_id: str) -> Response:
    try:
        if not is_id(segment_id):
            raise NotFound("segment not found")
        return _csv(audience.members_csv(s, p, "segment", int(segment_id)), f"segment-{segment_id}")
    except NotFound:
        return _not_found(request, p, f"人群 {segment_id} ", "/console/audience/tags")
