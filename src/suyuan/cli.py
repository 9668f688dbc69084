"""The ``suyuan`` command: serve, migrate, demo, import-declarations, issue-codes, admin …

Every command runs the same services as the API, on the database of ``SUYUAN_DATABASE_URL``.
Exit codes: 0 done, 1 a rule said no (the message says which), 2 bad usage.
"""

from __future__ import annotations

import typer
from rich.table import Table

from suyuan.cli_admin import admin
from suyuan.cli_bench import bench
from suyuan.cli_support import console, context
from suyuan.cli_tasks import import_declarations, issue_codes
from suyuan.db.migrate import upgrade
from suyuan.demo import PASSWORD, Demo, build
from suyuan.services.accounts import ensure_platform_token

app = typer.Typer(
    help="suyuan 正品溯源 — genuine-product traceability service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("import-declarations")(import_declarations)
app.command("issue-codes")(issue_codes)
app.command("bench")(bench)


app.add_typer(admin, name="admin")


@app.command()
def migrate() -> None:
    """Apply pending database migrations."""
    ctx = context()
    upgrade(ctx.engine)
    console.print(
        f"数据库已是最新 / database is up to date: "
        f"{ctx.engine.url.render_as_string(hide_password=True)}"
    )


@app.command()
def demo(base_url: str = typer.Option("http://127.0.0.1:8000", help="Where it is served.")) -> None:
    """Build the demo world (once) and print the logins."""
    ctx = context()
    upgrade(ctx.engine)
    print_demo(build(ctx), base_url)


def print_demo(result: Demo, base_url: str) -> None:
    """The logins, keys and a code to scan, as a newcomer needs them."""
    base = base_url.rstrip("/")
    state = "已创建 created" if result.created else "已存在 already there, nothing changed"
    console.print(f"[bold]演示数据 / demo world[/bold]: {state}")
    logins = Table(
        "角色 role", "用户名 login", "控制台 console", title=f"密码 password: {PASSWORD}"
    )
    for role, username, path in result.logins:
        logins.add_row(role, username, f"{base}{path}")
    console.print(logins)
    if result.keys:
        keys = Table("API key of", "key (shown once)")
        for role, key in result.keys:
            keys.add_row(role, key)
        console.print(keys)
    else:
        console.print(
            "API keys were shown when the demo was made; `suyuan admin api-key` issues new ones."
        )
    if result.scan_code:
        console.print(f"扫码 scan a code: {base}/t/{result.scan_code}")
    if result.product_id:
        console.print(f"商品页 product page: {base}/p/{result.product_id}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    with_demo: bool = typer.Option(
        False, "--demo", help="Build the demo world first if the database has no stores yet."
    ),
    access_log: bool = typer.Option(
        False, "--access-log", help="Log every request (off by default: it costs the scan path)."
    ),
) -> None:
    """Apply pending migrations, then serve the API, the pages and the consoles."""
    import uvicorn

    from suyuan.app import create_app

    ctx = context()
    upgrade(ctx.engine)
    if not ctx.settings.admin_token:
        token = ctx.write(ensure_platform_token)
        if token:
            console.print("[bold]平台管理令牌 / platform admin token (shown once, stored hashed):")
            console.print(f"  [green]{token}[/green]")
    if with_demo:
        print_demo(build(ctx), f"http://{host}:{port}")
    console.print(f"suyuan serving on http://{host}:{port}  (API docs: /api/v1/docs)")
    uvicorn.run(
        create_app(context=ctx),
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":  # pragma: no cover
    app()
