"""Every error as RFC 9457 ``application/problem+json`` with the spec's stable ``code``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException

from suyuan.domain.errors import DomainError, FieldError
from suyuan.i18n import CATALOG, Lang, negotiate, translate

log = logging.getLogger("suyuan.api")
PROBLEM_JSON = "application/problem+json"
_HTTP_CODES = {
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
}


def request_lang(request: Request) -> Lang:
    """The language of the answer: ``?lang=`` first, then ``Accept-Language``; zh by default."""
    return negotiate(request.headers.get("accept-language"), request.query_params.get("lang"))


def problem(
    request: Request,
    status: int,
    code: str,
    key: str,
    params: dict[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """A problem response in the caller's language."""
    lang = request_lang(request)
    params = dict(params or {})
    if "missing_step" in params:
        params["step_name"] = translate(f"step.{params['missing_step']}", lang)
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": translate(f"title.{code}", lang) if f"title.{code}" in CATALOG else code,
        "status": status,
        "detail": translate(key, lang, params),
        "code": code,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [
            {"field": e.field, "message": translate(e.key, lang, e.params)} for e in errors
        ]
    body.update(extra or {})
    headers = {"WWW-Authenticate": 'Bearer realm="suyuan"'} if status == 401 else {}
    if "retry_after" in params:
        headers["Retry-After"] = str(params["retry_after"])
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def domain_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    extra = {k: v for k, v in exc.params.items() if k in ("missing_step",)}
    return problem(request, exc.status, exc.code, exc.key, exc.params, exc.errors, extra)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('body', 'items', 2, 'hs_code')`` → ``items[2].hs_code``."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = []
    for err in exc.errors():
        params = {"pydantic": err.get("msg", ""), **(err.get("ctx") or {})}
        key = f"pydantic.{err.get('type')}"
        key = key if key in CATALOG else "pydantic.default"
        errors.append(FieldError(field_path(tuple(err.get("loc", ()))), key, params))
    return problem(request, 422, "VALIDATION_ERROR", "error.VALIDATION_ERROR", errors=errors)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101
    if exc.status_code == 400:  # a body FastAPI could not parse: bad input, as everywhere
        return problem(
            request,
            422,
            "VALIDATION_ERROR",
            "error.body.unreadable",
            errors=[FieldError("", "error.body.unreadable")],
        )
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    response = problem(request, exc.status_code, code, f"error.{code}")
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:  # RFC 9110: Allow lists every method of the resource
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """The methods served at the request's path, by any route (the route that answered 405
    knows only its own: ``/platform/stores`` has one route for GET and one for POST)."""
    path = request.scope["path"]
    return sorted(
        {
            method
            for route in iter_route_contexts(request.app.routes)
            if (regex := getattr(route, "path_regex", None)) and regex.match(path)
            for method in route.methods or ()
        }
    )


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, "INTERNAL_ERROR", "error.INTERNAL_ERROR")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, domain_problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
