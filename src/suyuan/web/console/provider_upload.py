"""上传报关单: declaration files (JSON, SPEC §6) — several at once, or pasted — loaded all or
nothing (R19). Every problem is listed by source (file name or the pasted text), field path
within that source (``items[2].hs_code``; ``[1].items[0].hs_code`` in a file holding an array)
and message; nothing is stored unless everything is right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from suyuan.api.auth import Ctx
from suyuan.domain.declaration import parse_declarations
from suyuan.domain.errors import DomainError, FieldError
from suyuan.i18n import Lang, translate
from suyuan.services import declarations
from suyuan.web.console.common import check_csrf, lang_of, redirect
from suyuan.web.console.provider_common import BASE, User, page, provider_id

router = APIRouter()
Text = Annotated[str, Form()]
Files = Annotated[list[UploadFile] | None, File()]
MAX_FILE_BYTES = 20 * 1024 * 1024
_INDEXED = re.compile(r"^\[(\d+)\]\.?(.*)$")


@dataclass(frozen=True)
class Problem:
    """One row of the error table."""

    source: str
    field: str
    message: str


@dataclass(frozen=True)
class Source:
    """One uploaded file or the pasted text, decoded."""

    name: str
    document: Any


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, user: User) -> HTMLResponse:
    """The upload form: files (several allowed) and a text area to paste JSON."""
    return page(request, user, "upload.html", "upload", problems=[], pasted="")


@router.post("/upload", response_class=HTMLResponse)
def upload_submit(
    request: Request,
    user: User,
    ctx: Ctx,
    csrf_token: Text = "",
    pasted: Text = "",
    files: Files = None,
) -> Response:
    """Check every source, then load them in one unit of work (all or nothing)."""
    check_csrf(user, {"csrf_token": csrf_token})
    lang = lang_of(request)
    sources, problems = _read(files or [], pasted, lang)
    if not sources and not problems:
        problems = [Problem("", "", translate("provider.upload.empty", lang))]
    if not problems:
        documents, origins = _combine(sources)
        body: Any = documents[0] if len(documents) == 1 else documents
        try:
            result = ctx.write(
                lambda uow: declarations.load(uow, user.actor, provider_id(user), body)
            )
        except DomainError as e:
            problems = _problems(e, lang, origins, "" if len(documents) == 1 else None)
        else:
            loaded, unchanged = str(result["loaded"]), str(result["unchanged"])
            return redirect(f"{BASE}/?notice=loaded&loaded={loaded}&unchanged={unchanged}")
    alert = translate("provider.upload.failed", lang, {"count": len(problems)})
    return page(
        request,
        user,
        "upload.html",
        "upload",
        422,
        problems=problems,
        pasted=pasted,
        errors={"": alert},
    )


def _read(files: list[UploadFile], pasted: str, lang: Lang) -> tuple[list[Source], list[Problem]]:
    """Decode each non-empty source as JSON and check its declarations (SPEC §6)."""
    raw: list[tuple[str, bytes | str]] = []
    for upload in files:
        content = upload.file.read(MAX_FILE_BYTES + 1)
        if upload.filename or content:
            raw.append((upload.filename or "?", content))
    if pasted.strip():
        raw.append((translate("provider.upload.pasted", lang), pasted))
    sources: list[Source] = []
    problems: list[Problem] = []
    for name, data in raw:
        document, trouble = _decode(name, data, lang)
        if trouble:
            problems.append(trouble)
            continue
        try:
            parse_declarations(document)
        except DomainError as e:
            problems += _problems(e, lang, [], name)
            continue
        sources.append(Source(name, document))
    return sources, problems


def _decode(name: str, data: bytes | str, lang: Lang) -> tuple[Any, Problem | None]:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            return None, Problem(
                name, "", translate("provider.upload.too_large", lang, {"mb": limit})
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, Problem(name, "", translate("provider.upload.bad_encoding", lang))
    try:
        return json.loads(data), None
    except json.JSONDecodeError as e:
        where = {"line": e.lineno, "column": e.colno}
        return None, Problem(name, "", translate("provider.upload.bad_json", lang, where))


def _combine(sources: list[Source]) -> tuple[list[Any], list[tuple[str, int | None]]]:
    """All documents in one list, and where each came from (source, index in its array)."""
    documents: list[Any] = []
    origins: list[tuple[str, int | None]] = []
    for source in sources:
        if isinstance(source.document, list):
            documents += source.document
            origins += [(source.name, i) for i in range(len(source.document))]
        else:
            documents.append(source.document)
            origins.append((source.name, None))
    return documents, origins


def _problems(
    error: DomainError, lang: Lang, origins: list[tuple[str, int | None]], source: str | None
) -> list[Problem]:
    """The error's fields as rows; ``[i].`` paths of a combined load point back to their
    source (``source`` names it when the error came from one source alone)."""
    fields = error.errors or [FieldError("", error.key, error.params)]
    rows = []
    for e in fields:
        name, path = source or "", e.field
        match = _INDEXED.match(e.field)
        if source is None and match and int(match.group(1)) < len(origins):
            name, local = origins[int(match.group(1))]
            rest = match.group(2)
            path = rest if local is None else f"[{local}]" + (f".{rest}" if rest else "")
        elif source == "" and origins:
            name = origins[0][0]
        rows.append(Problem(name, path, translate(e.key, lang, e.params)))
    return rows
