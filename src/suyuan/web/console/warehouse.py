"""The warehouse console (issue 6)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from suyuan.services.sessions import ConsoleUser
from suyuan.web.console.common import render, user_of

router = APIRouter(prefix="/console/warehouse", include_in_schema=False)
User = Annotated[ConsoleUser, Depends(user_of("warehouse"))]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: User) -> HTMLResponse:
    """The console's first page."""
    return render(request, "console/placeholder.html", user=user)
