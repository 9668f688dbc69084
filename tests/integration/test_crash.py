"""Crash safety (issue 9): ``kill -9`` the real server in the middle of its biggest writes —
a 1,000,000-code issuance, a 10,000-code attachment — and start it again. Nothing of the killed
request may remain (no request without all its codes, no codes without their request, no
charge without codes, item counters equal to the codes issued from them, a batch attached
whole or not at all, an audit entry for every change kept), and the service answers normally.
Runs on SQLite (WAL) and on PostgreSQL, against ``suyuan serve`` in its own process group."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.db.scratch import scratch_database
from tests.api.conftest import API, EXAMPLE, World
from tests.conftest import ADMIN_TOKEN

SUYUAN = Path(sys.executable).parent / "suyuan"
BIG_ITEM_QUANTITY = 3_000_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``suyuan serve`` on a free port, started in its own process group so ``kill -9`` takes
    every process it may have (workers included)."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.database_url = database_url
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUYUAN_")}
        env |= {
            "SUYUAN_DATABASE_URL": self.database_url,
            "SUYUAN_ADMIN_TOKEN": ADMIN_TOKEN,
            "SUYUAN_PUBLIC_URL": "http://suyuan.test",
        }
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - our own console script
                [str(SUYUAN), "serve", "--host", "127.0.0.1", "--port", str(port), "--access-log"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)

    def kill(self) -> None:
        """``kill -9`` the whole process group: no shutdown handler, no rollback, no flush."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None


@pytest.fixture
def server(ctx: Context, tmp_path: Path) -> Iterator[Server]:
    running = Server(ctx.settings.database_url, tmp_path / "server.log")
    running.start()
    yield running
    running.kill()
    log = running.log.read_text(errors="replace")
    assert '127.0.0.0/24 - "POST /api/v1/warehouse/code-requests HTTP/1.1" 201' in log
    assert not re.search(r'127\.0\.0\.1:\d+ - "', log)  # clients by network only
    assert "sy_" not in log and ADMIN_TOKEN not in log  # no API key, no admin token


class InFlight:
    """Whether a write transaction on ``trace_codes`` is open in the server right now."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sqlite_path = (
            make_url(ctx.settings.database_url).database
            if ctx.engine.dialect.name == "sqlite"
            else None
        )

    def __call__(self) -> bool:
        if self.sqlite_path is not None:  # the single writer's lock is held
            probe = sqlite3.connect(self.sqlite_path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()  # rolls the probe back: it wrote nothing
            return False
        query = text(
            """SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
               JOIN pg_database d ON d.oid = l.database AND d.datname = current_database()
               WHERE c.relname = 'trace_codes' AND l.mode = 'RowExclusiveLock' AND l.granted
                 AND l.pid <> pg_backend_pid()"""
        )
        with self.ctx.engine.connect() as conn:
            return bool(conn.execute(query).scalar_one())


def _in_background(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except httpx.HTTPError as e:  # the server died under the request
            outcome.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.002)


def _scalar(ctx: Context, stmt: Any) -> Any:
    with ctx.engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def assert_consistent(db: Context | Engine) -> dict[str, int]:
    """The invariants a crash must not break; returns a few totals."""
    r, c, i, a = s.code_requests, s.trace_codes, s.declaration_items, s.audit_log
    engine = db.engine if isinstance(db, Context) else db
    with engine.connect() as conn:
        per_request = conn.execute(
            select(r.c.id, r.c.quantity, r.c.charge_fen, r.c.per_code_fee_fen, func.count(c.c.code))
            .select_from(r.outerjoin(c, c.c.code_request_id == r.c.id))
            .group_by(r.c.id, r.c.quantity, r.c.charge_fen, r.c.per_code_fee_fen)
        ).all()
        for rid, quantity, charge, fee, codes in per_request:
            assert codes == quantity, f"request {rid}: {codes} codes of {quantity}"
            assert charge == quantity * fee and codes > 0  # no charge without its codes
        orphans = conn.execute(
            select(func.count())
            .select_from(c.outerjoin(r, r.c.id == c.c.code_request_id))
            .where(r.c.id.is_(None))
        ).scalar_one()
        assert orphans == 0, "codes without their request"
        items = conn.execute(select(i.c.id, i.c.issued, i.c.quantity)).all()
        for item_id, issued, declared in items:
            drawn = conn.execute(
                select(func.count()).select_from(c).where(c.c.declaration_item_id == item_id)
            ).scalar_one()
            requested = conn.execute(
                select(func.coalesce(func.sum(r.c.quantity), 0)).where(
                    r.c.declaration_item_id == item_id
                )
            ).scalar_one()
            assert issued == drawn == requested <= declared, (item_id, issued, drawn, requested)
        audited_requests = conn.execute(
            select(func.count()).select_from(a).where(a.c.action == "codes.requested")
        ).scalar_one()
        audited_attached = conn.execute(
            select(func.count()).select_from(a).where(a.c.action == "codes.attached")
        ).scalar_one()
        attached = conn.execute(
            select(func.count()).select_from(c).where(c.c.status == "attached")
        ).scalar_one()
    assert audited_requests == len(per_request)  # the audit entry lives and dies with its change
    assert audited_attached == attached
    return {"requests": len(per_request), "codes": sum(row[4] for row in per_request)}


def _big_item(world: World) -> str:
    """A second declaration with a line of 3,000,000 units, loaded through the API."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["declaration_no"] = "223320261000054321"
    doc["items"] = [{**doc["items"][0], "item_no": 1, "quantity": BIG_ITEM_QUANTITY}]
    world.t.provider.ok("POST", "/provider/declarations", doc, 201)
    items = world.t.warehouse.ok("GET", f"/warehouse/stores/{world.t.store_id}/declaration-items")
    return str(next(x["id"] for x in items["items"] if x["quantity"] == BIG_ITEM_QUANTITY))


def _code_request(server: Server, world: World, item: str, quantity: int) -> httpx.Response:
    body = {
        "store_id": world.t.store_id,
        "product_id": world.bonded,
        "declaration_item_id": item,
        "quantity": quantity,
    }
    headers = {"Authorization": f"Bearer {world.t.warehouse.key}"}
    return httpx.post(
        f"{server.url}{API}/warehouse/code-requests", json=body, headers=headers, timeout=300
    )


def _attach(server: Server, world: World, codes: list[str]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {world.t.warehouse.key}"}
    return httpx.post(
        f"{server.url}{API}/warehouse/attachments",
        json={"codes": codes},
        headers=headers,
        timeout=300,
    )


def _start_issuance(server: Server, world: World, ctx: Context, item: str) -> list[Any]:
    """A 1,000,000-code request, 1.5 s into its one transaction."""
    in_flight = InFlight(ctx)
    assert not in_flight()
    _, outcome = _in_background(lambda: _code_request(server, world, item, 1_000_000))
    _wait_until(in_flight, 60, "the issuance's transaction")
    time.sleep(1.5)  # well into the chunks of codes (a whole million takes ~15-40 s)
    assert in_flight() and not outcome, "the issuance ended too soon"
    return outcome


def test_kill_9_during_a_million_code_issuance_leaves_nothing_of_it(
    server: Server, world: World, ctx: Context
) -> None:
    item = _big_item(world)
    first = _code_request(server, world, item, 1_000)
    assert first.status_code == 201, first.text
    before = assert_consistent(ctx)
    outcome = _start_issuance(server, world, ctx, item)
    server.kill()
    _wait_until(lambda: bool(outcome), 30, "the client notice the crash")
    assert isinstance(outcome[0], httpx.HTTPError)  # no answer: it died mid-way

    server.start()
    after = assert_consistent(ctx)
    assert after == before  # not one code, request, charge or counter step of the killed one
    issued = _scalar(
        ctx, select(s.declaration_items.c.issued).where(s.declaration_items.c.id == item)
    )
    assert issued == 1_000
    again = _code_request(server, world, item, 2_000)  # the service answers normally
    assert again.status_code == 201, again.text
    assert assert_consistent(ctx) == {
        "requests": before["requests"] + 1,
        "codes": before["codes"] + 2_000,
    }


def test_kill_9_during_a_large_attachment_attaches_all_or_nothing(
    server: Server, world: World, ctx: Context
) -> None:
    made = _code_request(server, world, _big_item(world), 10_000)
    assert made.status_code == 201, made.text
    t = s.trace_codes
    with ctx.engine.connect() as conn:
        batch = list(
            conn.execute(select(t.c.code).where(t.c.code_request_id == made.json()["id"])).scalars()
        )
    assert len(batch) == 10_000  # the largest batch the API takes
    in_flight = InFlight(ctx)
    assert not in_flight()
    thread, outcome = _in_background(lambda: _attach(server, world, batch))
    _wait_until(in_flight, 60, "the attachment's transaction")
    server.kill()
    thread.join(timeout=30)
    assert outcome and isinstance(outcome[0], httpx.HTTPError)

    server.start()
    assert_consistent(ctx)
    attached = _scalar(ctx, select(func.count()).select_from(t).where(t.c.status == "attached"))
    assert attached == 0  # killed before its commit: not one code of the batch moved
    retried = _attach(server, world, batch)  # the retry attaches the whole batch
    assert retried.status_code == 200, retried.text
    assert len(retried.json()["attached"]) == 10_000
    assert_consistent(ctx)
    assert (
        _scalar(ctx, select(func.count()).select_from(t).where(t.c.status == "attached")) == 10_000
    )


def _pg_url(url: str) -> str:
    """A libpq URL (what pg_dump and pg_restore take) for a SQLAlchemy one."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _sqlite(path: str, sql: str) -> str:
    """What ``sqlite3 PATH "SQL"`` prints; Python's sqlite3 when the shell is not installed."""
    if shutil.which("sqlite3"):
        return _run("sqlite3", path, sql)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return "\n".join(str(row[0]) for row in conn.execute(sql).fetchall())
    finally:
        conn.close()


@pytest.fixture
def restored_url(ctx: Context, tmp_path: Path) -> Iterator[str]:
    """Where the backup is restored: a new SQLite file, or a new PostgreSQL database."""
    url = make_url(ctx.settings.database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    server = url.render_as_string(hide_password=False)
    with scratch_database(server, f"{url.database}_restored") as restored:
        yield restored


def test_a_backup_taken_while_serving_restores_a_consistent_service(
    server: Server, world: World, ctx: Context, tmp_path: Path, restored_url: str
) -> None:
    """The README's backup commands, run while a million codes are being written: the copy
    holds exactly what was committed, and a server started on it works."""
    item = _big_item(world)
    assert _code_request(server, world, item, 1_000).status_code == 201
    before = assert_consistent(ctx)
    _start_issuance(server, world, ctx, item)
    source = ctx.settings.database_url
    if make_url(source).get_backend_name() == "sqlite":  # online, in WAL: readers don't block
        backup = tmp_path / "backup.db"
        _sqlite(str(make_url(source).database), f"VACUUM INTO '{backup}'")
        assert _sqlite(str(backup), "PRAGMA integrity_check") == "ok"
        backup.rename(make_url(restored_url).database or "")
    else:  # pg_dump reads one snapshot; the open transaction is not in it
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump and pg_restore are not installed")
        dump = tmp_path / "suyuan.dump"
        _run("pg_dump", "--format=custom", f"--file={dump}", _pg_url(source))
        _run("pg_restore", "--no-owner", f"--dbname={_pg_url(restored_url)}", str(dump))
    server.kill()
    restored = Server(restored_url, tmp_path / "restored.log")
    restored.start()
    try:
        engine = create_engine(restored_url)
        assert assert_consistent(engine) == before
        again = _code_request(restored, world, item, 2_000)
        assert again.status_code == 201, again.text
        assert assert_consistent(engine)["codes"] == before["codes"] + 2_000
        engine.dispose()
    finally:
        restored.kill()
