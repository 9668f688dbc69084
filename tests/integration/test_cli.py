"""Every operator command through Typer's runner, on both databases (issue 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from suyuan.cli import app
from suyuan.context import Context
from suyuan.db import schema as s
from suyuan.db.engine import make_engine
from suyuan.db.migrate import pending
from tests.api.conftest import EXAMPLE, World
from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.usefixtures("ctx")
EXAMPLES = EXAMPLE.parent


@pytest.fixture
def run(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SUYUAN_DATABASE_URL", ctx.settings.database_url)
    monkeypatch.setenv("SUYUAN_ADMIN_TOKEN", ADMIN_TOKEN)
    return CliRunner()


def count(ctx: Context, table: s.Table) -> int:
    return int(
        ctx.read(lambda uow: uow.conn.execute(select(func.count()).select_from(table)).scalar_one())
    )


def test_demo_builds_the_story_once(run: CliRunner, ctx: Context) -> None:
    first = run.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "demo-store" in first.output and "/t/" in first.output and "sy_" in first.output
    stores, codes, orders = count(ctx, s.stores), count(ctx, s.trace_codes), count(ctx, s.orders)
    assert stores == 2 and codes > 0 and count(ctx, s.scans) > 0
    assert count(ctx, s.order_problems) == 1  # one abnormal order waiting for correction
    again = run.invoke(app, ["demo"])
    assert again.exit_code == 0 and "already there" in again.output
    assert (count(ctx, s.stores), count(ctx, s.trace_codes), count(ctx, s.orders)) == (
        stores,
        codes,
        orders,
    )


def _provider(run: CliRunner) -> str:
    r = run.invoke(app, ["admin", "provider", "中检溯源服务中心"])
    assert r.exit_code == 0, r.output
    return r.output.split()[1]


def test_import_declarations_loads_files_and_directories(run: CliRunner, ctx: Context) -> None:
    provider = _provider(run)
    r = run.invoke(app, ["import-declarations", "--provider", provider, str(EXAMPLES)])
    assert r.exit_code == 0, r.output
    assert r.output.count("loaded") == 3 and count(ctx, s.declarations) == 3
    again = run.invoke(app, ["import-declarations", "--provider", provider, str(EXAMPLE)])
    assert again.exit_code == 0 and "unchanged" in again.output


def test_one_bad_file_loads_nothing(run: CliRunner, ctx: Context, tmp_path: Path) -> None:
    provider = _provider(run)
    for f in EXAMPLES.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    bad = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace('"2233"', '"22X3"', 1)
        .replace("223320261000012345", "223320261000099999")
    )
    (tmp_path / "zz-bad.json").write_text(bad, encoding="utf-8")
    (tmp_path / "zz-broken.json").write_text("{not json", encoding="utf-8")
    r = run.invoke(app, ["import-declarations", "--provider", provider, str(tmp_path)])
    assert r.exit_code == 1
    assert "customs_port" in r.output and "zz-broken.json" in r.output
    assert count(ctx, s.declarations) == 0


def test_issue_codes_writes_outputs_and_prints_the_charge(
    run: CliRunner, world: World, ctx: Context, tmp_path: Path
) -> None:
    args = [
        "issue-codes",
        "--warehouse",
        world.t.warehouse_id,
        "--store",
        world.t.store_id,
        "--product",
        world.bonded,
        "--item",
        world.item,
        "--quantity",
        "5",
    ]
    files = [tmp_path / "l.pdf", tmp_path / "c.csv", tmp_path / "l.zpl"]
    r = run.invoke(
        app, [*args, "--labels", str(files[0]), "--csv", str(files[1]), "--zpl", str(files[2])]
    )
    assert r.exit_code == 0, r.output
    assert "¥0.50" in r.output and count(ctx, s.trace_codes) == 5
    assert files[0].read_bytes().startswith(b"%PDF")
    assert len(files[1].read_text(encoding="utf-8-sig").splitlines()) == 6
    assert files[2].read_text().count("^XA") == 5
    too_many = run.invoke(app, [*args[:-1], "1196"])
    assert too_many.exit_code == 1 and "QUANTITY_EXCEEDS_DECLARATION" in too_many.output
    assert count(ctx, s.trace_codes) == 5


def test_admin_does_what_the_platform_api_does(run: CliRunner, ctx: Context) -> None:
    store = run.invoke(
        app, ["admin", "store", "海淘旗舰店", "--company-name", "上海海淘进出口有限公司"]
    )
    assert store.exit_code == 0, store.output
    store_id = store.output.split()[1]
    assert run.invoke(app, ["admin", "pilot", store_id, "--on"]).exit_code == 0
    assert run.invoke(app, ["admin", "warehouse", "宁波保税仓"]).exit_code == 0
    user = run.invoke(
        app,
        ["admin", "user", "store", "shop", "--org-id", store_id],
        input="correct horse\ncorrect horse\n",
    )
    assert user.exit_code == 0, user.output
    key = run.invoke(app, ["admin", "api-key", "store", store_id])
    assert key.exit_code == 0 and "sy_" in key.output
    assert run.invoke(app, ["admin", "pricing", "25"]).exit_code == 0
    with ctx.engine.connect() as conn:
        assert conn.execute(select(s.stores.c.pilot)).scalar_one() is True
        fee = conn.execute(select(s.pricing_changes.c.per_code_fee_fen)).scalar_one()
    assert fee == 25
    unknown = run.invoke(app, ["admin", "api-key", "store", "sto_nope"])
    assert unknown.exit_code == 1 and "org_id" in unknown.output


def test_migrate_brings_a_new_database_to_the_newest_schema(
    run: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("SUYUAN_DATABASE_URL", url)
    r = run.invoke(app, ["migrate"])
    assert r.exit_code == 0 and "up to date" in r.output
    assert pending(make_engine(url)) is False
