"""The ``suyuan`` command: serve, migrate (more operator commands come with later issues)."""

from __future__ import annotations

import typer
from rich.console import Console

from suyuan.config import get_settings
from suyuan.context import Context
from suyuan.db.migrate import upgrade
from suyuan.services.accounts import ensure_platform_token

app = typer.Typer(
    help="suyuan 正品溯源 — genuine-product traceability service.", no_args_is_help=True
)
console = Console()


def _prepare() -> Context:
    """Migrate the configured database and make sure a platform credential exists."""
    ctx = Context.from_settings(get_settings())
    upgrade(ctx.engine)
    if not ctx.settings.admin_token:
        token = ctx.write(ensure_platform_token)
        if token:
            console.print("[bold]平台管理令牌 / platform admin token (shown once, stored hashed):")
            console.print(f"  [green]{token}[/green]")
            console.print("  export SUYUAN_ADMIN_TOKEN=... to choose your own instead.")
    return ctx


@app.command()
def migrate() -> None:
    """Apply pending database migrations."""
    ctx = Context.from_settings(get_settings())
    upgrade(ctx.engine)
    console.print(f"database is up to date: {ctx.engine.url.render_as_string(hide_password=True)}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Apply pending migrations, then serve the API (and, later, the consoles)."""
    import uvicorn

    from suyuan.app import create_app

    ctx = _prepare()
    console.print(f"suyuan serving on http://{host}:{port}  (API docs: /api/v1/docs)")
    uvicorn.run(create_app(context=ctx), host=host, port=port, log_level="info")


if __name__ == "__main__":  # pragma: no cover
    app()
