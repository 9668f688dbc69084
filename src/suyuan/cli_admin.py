"""``suyuan admin …``: everything the platform operator does, without curl."""

from __future__ import annotations

from typing import Any

import typer

from suyuan.cli_support import console, context, fail
from suyuan.domain.actor import Actor
from suyuan.domain.errors import DomainError
from suyuan.services import accounts

admin = typer.Typer(
    help="Platform administration: tenants, users, API keys, pilot, pricing.", no_args_is_help=True
)
OPERATOR = Actor("platform", None, "cli")


def _run(use_case: Any) -> Any:
    try:
        return context().write(use_case)
    except DomainError as e:
        fail(e)


@admin.command("store")
def create_store(
    name: str,
    company_name: str = typer.Option(..., help="店铺注册主体"),
    pilot: bool = typer.Option(False, help="Whitelist it for the pilot."),
) -> None:
    """Create a store with its registered company name."""
    row = _run(
        lambda uow: accounts.create_org(
            uow, OPERATOR, "store", {"name": name, "company_name": company_name, "pilot": pilot}
        )
    )
    console.print(f"store {row['id']}  {name}  pilot={pilot}")


@admin.command("provider")
def create_provider(name: str) -> None:
    """Register a customs-authorized agency."""
    row = _run(lambda uow: accounts.create_org(uow, OPERATOR, "provider", {"name": name}))
    console.print(f"provider {row['id']}  {name}")


@admin.command("warehouse")
def create_warehouse(name: str, customs_code: str | None = typer.Option(None)) -> None:
    """Register a bonded warehouse."""
    row = _run(
        lambda uow: accounts.create_org(
            uow, OPERATOR, "warehouse", {"name": name, "customs_code": customs_code}
        )
    )
    console.print(f"warehouse {row['id']}  {name}")


@admin.command("pilot")
def set_pilot(store_id: str, on: bool = typer.Option(True, "--on/--off")) -> None:
    """Put a store in the pilot (--on) or take it out (--off)."""
    _run(lambda uow: accounts.set_pilot(uow, OPERATOR, store_id, on))
    console.print(f"store {store_id} pilot={on}")


@admin.command("user")
def create_user(
    org_type: str,
    username: str,
    org_id: str | None = typer.Option(None, help="Omit for platform users."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a console user (the password is asked for, never echoed)."""
    if len(password) < 8:
        console.print("[red]password: at least 8 characters[/red]")
        raise typer.Exit(1)
    row = _run(
        lambda uow: accounts.create_user(uow, OPERATOR, org_type, org_id, username, password)
    )
    console.print(f"user {row['id']}  {username}  ({org_type} {org_id or ''})")


@admin.command("api-key")
def create_api_key(org_type: str, org_id: str | None = typer.Argument(None)) -> None:
    """Issue an API key; it is printed this once and stored only as a hash."""
    row = _run(lambda uow: accounts.issue_api_key(uow, OPERATOR, org_type, org_id))
    console.print(f"key {row['id']} for {org_type} {org_id or ''}:")
    console.print(f"  [green]{row['key']}[/green]  (shown once / 仅显示一次)")


@admin.command("pricing")
def set_pricing(per_code_fee_fen: int = typer.Argument(..., min=0, max=100_000)) -> None:
    """Set the per-code fee in fen (10 = ¥0.10) for requests from now on."""
    _run(lambda uow: accounts.set_pricing(uow, OPERATOR, per_code_fee_fen))
    console.print(f"per-code fee: {per_code_fee_fen} fen (¥{per_code_fee_fen / 100:.2f})")
