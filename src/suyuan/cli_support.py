"""What the CLI commands share: the context from the environment, output, failing cleanly."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from suyuan.config import Settings
from suyuan.context import Context
from suyuan.domain.errors import DomainError
from suyuan.i18n import translate

console = Console()
errors = Console(stderr=True)


def context() -> Context:
    """A context from the environment, read fresh (tests change it between invocations)."""
    return Context.from_settings(Settings())


def fail(error: DomainError) -> NoReturn:
    """Print why a rule said no (with each field) and exit 1."""
    errors.print(f"[red]{error.code}[/red]: {translate(error.key, 'zh', error.params)}")
    errors.print(f"  {translate(error.key, 'en', error.params)}")
    for e in error.errors:
        errors.print(f"  {e.field or '(document)'}: {translate(e.key, 'zh', e.params)}")
    raise typer.Exit(1)
