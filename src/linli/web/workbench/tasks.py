"""回访任务: the tasks journeys give me (call a neighbour who has gone quiet, ...), open first, with 完成."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.journey import service as journeys
from linli.journey.schemas import TaskDoneIn
from linli.web.member.pages import is_id
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()


def _page(request: Request, p: Principal, s: Db, status_code: int = 200, **context: object) -> Response:
    open_tasks, _ = journeys.tasks(s, p, False, 100, None)
    done, _ = journeys.tasks(s, p, True, 20, None)
    return render(request, "workbench/tasks.html", status_code=status_code, p=p, title="回访任务", tab="tasks",
                  open_tasks=open_tasks, done=done, **context)


@router.get("/tasks")
def my_tasks(request: Request, p: LeaderPage, s: Db) -> Response:
    return _page(request, p, s)


@router.post("/tasks/{task_id}/done")
def task_done(request: Request, p: LeaderPage, s: Db, task_id: str,
              note: Annotated[str, Form(max_length=500)] = "") -> Response:
    try:
        if not is_id(task_id):
            raise NotFound("task not found", code="leader_task_not_found")
        journeys.task_done(s, p, int(task_id), TaskDoneIn(note=note))
    except NotFound:
        return _page(request, p, s, 404, error="没有找到该任务。")
    return RedirectResponse("/w/tasks", status_code=303)
