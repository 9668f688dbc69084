"""Onboarding steps (R2).

not_opened → authorize_provider → bind_importer → guide_warehouse → done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Step = Literal["not_opened", "authorize_provider", "bind_importer", "guide_warehouse", "done"]
STEPS: tuple[Step, ...] = (
    "not_opened",
    "authorize_provider",
    "bind_importer",
    "guide_warehouse",
    "done",
)


@dataclass(frozen=True)
class Progress:
    """What the store has done so far."""

    opened: bool
    subscribed: bool
    importers_bound: int
    warehouses_linked: int
    completed: bool


def current_step(p: Progress) -> Step:
    """The step the store is on: the first one not yet done."""
    if not p.opened:
        return "not_opened"
    if not p.subscribed:
        return "authorize_provider"
    if p.importers_bound == 0:
        return "bind_importer"
    if p.warehouses_linked == 0 or not p.completed:
        return "guide_warehouse"
    return "done"


def missing_for(p: Progress, needed: Step) -> Step | None:
    """The step still missing before an action that belongs to step ``needed`` may run.

    E.g. binding an importer (step ``bind_importer``) needs the store opened and subscribed:
    if it is not subscribed, ``authorize_provider`` is missing.
    """
    done = {
        "not_opened": p.opened,
        "authorize_provider": p.subscribed,
        "bind_importer": p.importers_bound > 0,
        "guide_warehouse": p.warehouses_linked > 0,
    }
    for step in STEPS[: STEPS.index(needed)]:
        if not done[step]:
            return step
    return None
