"""The OpenAPI document: every operation documents the problem responses it can give.

FastAPI documents each route's success answer and, where it takes input, a 422 in its own
``HTTPValidationError`` shape. Every error here is ``application/problem+json`` instead
(``problems.py``), so the generated document is post-processed once, when first asked for:

- a ``Problem`` schema, exactly what ``problems.problem`` writes, and the ``bearer`` scheme;
- the ``Idempotency-Key`` header on every POST that takes a key;
- on every operation the problem statuses it can answer, each described with ``Problem``:

  ====== ===============================================================================
  422    always: bad parameters or body, and NUL or lone surrogates anywhere (guards.py)
  401    where a key is required (and ``security: bearer``); 403 likewise, for the wrong key
  404    where the path or the body names an object (another tenant's one too, R18)
  409    on writes: a state the rules forbid, an ``Idempotency-Key`` still in progress
  413    where a body is read: too large (hardening.py); a body that is not JSON is a 422
  429    where the public rate limit applies
  ====== ===============================================================================

A route that can answer another problem status says so with ``responses={409: {...}}``; any
4xx a route declares without content gets the ``Problem`` schema here.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from suyuan.api.auth import authenticate
from suyuan.api.idempotency import MAX_KEY_LENGTH
from suyuan.api.problems import PROBLEM_JSON
from suyuan.api.ratelimit import check_public_rate

PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details with the stable `code` of SPEC §7.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code", "instance"],
    "properties": {
        "type": {"type": "string", "example": "/problems/VALIDATION_ERROR"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "In the caller's language (?lang=)."},
        "code": {"type": "string", "example": "VALIDATION_ERROR"},
        "instance": {"type": "string", "description": "The request's path."},
        "errors": {
            "type": "array",
            "description": "The offending fields, e.g. `items[2].hs_code`.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "missing_step": {"type": "string", "description": "ONBOARDING_INCOMPLETE: what's next."},
        "field": {"type": "string", "description": "IDEMPOTENCY_KEY_REUSED: the header."},
    },
}
DESCRIPTIONS = {
    401: "No key, or an unknown one (UNAUTHENTICATED).",
    403: "This key may not do that (FORBIDDEN, NOT_IN_PILOT, WAREHOUSE_NOT_LINKED, ...).",
    404: "No such object, or another tenant's (NOT_FOUND, TRACE_CODE_NOT_FOUND).",
    409: "The state of things forbids it (INVALID_STATE, ONBOARDING_INCOMPLETE, ...).",
    413: "The request body is too large (PAYLOAD_TOO_LARGE).",
    422: "Invalid input; `errors` names each field (VALIDATION_ERROR and the rules' codes).",
    429: "Too many lookups from this network; retry after `Retry-After` seconds (RATE_LIMITED).",
}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENCY_KEY = {  # idempotency.py
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A retry with the same key (and body) replays the first answer (R19).",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def install(app: FastAPI) -> None:
    """Document problem+json error responses on every operation of ``app``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate(), app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document_problems(schema: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """``schema`` with the ``Problem`` responses of every operation of ``app``'s routes."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for fastapi_default in ("HTTPValidationError", "ValidationError"):
        schemas.pop(fastapi_default, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "The platform's SUYUAN_ADMIN_TOKEN, or a key it issued (POST /api-keys).",
    }
    for route in iter_route_contexts(app.routes):  # routes of included routers too
        if not (isinstance(route.original_route, APIRoute) and route.include_in_schema):
            continue
        needs_key = _calls(route.dependant, authenticate)
        for method in route.methods or ():
            operation = schema["paths"][route.path_format][method.lower()]
            responses = operation.setdefault("responses", {})
            declared = _declared_problems(responses)
            for status in problem_statuses(route, method, operation, schemas) | declared.keys():
                responses[str(status)] = {
                    "description": declared.get(status)
                    or DESCRIPTIONS.get(status, HTTPStatus(status).phrase),
                    "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
                }
            operation["responses"] = dict(sorted(responses.items()))
            if needs_key:
                operation["security"] = [{"bearer": []}]
            if needs_key and method == "POST":
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
    return schema


def problem_statuses(
    route: RouteContext, method: str, operation: dict[str, Any], schemas: dict[str, Any]
) -> set[int]:
    """The problem statuses of one operation, by the rules in this module's docstring."""
    statuses = {422}
    if _calls(route.dependant, authenticate):
        statuses |= {401, 403}
    if _calls(route.dependant, check_public_rate):
        statuses.add(429)
    if "requestBody" in operation:
        statuses.add(413)
    if route.dependant.path_params or _names_object(operation.get("requestBody"), schemas):
        statuses.add(404)
    if method in WRITES:
        statuses.add(409)
    return statuses


def _declared_problems(responses: dict[str, Any]) -> dict[int, str]:
    """4xx statuses the route declared itself, without content (``responses={409: {...}}``),
    with their descriptions."""
    return {
        int(status): response.get("description", "")
        for status, response in responses.items()
        if status.isdigit() and 400 <= int(status) < 500 and "content" not in response
    }


def _names_object(node: Any, schemas: dict[str, Any]) -> bool:
    """Whether a JSON schema (``$ref``s followed) has a property ``…_id``: an object's ID."""
    if isinstance(node, list):
        return any(_names_object(item, schemas) for item in node)
    if not isinstance(node, dict):
        return False
    if "$ref" in node:
        return _names_object(schemas[node["$ref"].rsplit("/", 1)[-1]], schemas)
    if any(name.endswith("_id") for name in node.get("properties", {})):
        return True
    return any(_names_object(value, schemas) for value in node.values())


def _calls(dependant: Dependant, target: Callable[..., Any]) -> bool:
    """Whether ``target`` is among the dependencies of a route, however deep."""
    return dependant.call is target or any(_calls(d, target) for d in dependant.dependencies)
