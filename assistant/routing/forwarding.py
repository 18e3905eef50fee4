"""What an edge sends its upstream, and how the upstream's answer becomes this turn's plan.

A request the local layer could not place goes up whole: the cloud understands all of it.
A confident one goes up only as the clauses of the tasks the upstream takes (a song to
play, a poem to write): the device command beside them never leaves the house. The
upstream's plan comes back in place of what was sent; dialog tasks are dropped from it,
since only the local layer may answer a pending confirmation.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.dialog.confirmation import DIALOG_INTENTS
from intents.types import Intent


def sent_text(text: str, intents: Sequence[Intent], unplaced: Sequence[int], whole: bool, lang: str) -> str:
    """The whole utterance, or the clauses of the ``unplaced`` tasks (the whole one when a clause is unknown)."""
    clauses = [intents[i].text.strip() for i in unplaced]
    if whole or not clauses or not all(clauses):
        return text
    return ("，" if lang == "zh" else ", ").join(dict.fromkeys(clauses))


def merged_plan(
    local: Sequence[Intent], unplaced: Sequence[int], plan: Sequence[Intent], whole: bool
) -> tuple[Intent, ...]:
    """The turn's intents: the upstream's plan, in place of the tasks that were sent."""
    if whole or not unplaced:
        return tuple(plan)
    sent = set(unplaced)
    merged: list[Intent] = []
    for position, intent in enumerate(local):
        if position == unplaced[0]:
            merged.extend(plan)
        elif position not in sent:
            merged.append(intent)
    return tuple(merged)


def usable_plan(plan: Sequence[Intent]) -> tuple[Intent, ...]:
    """The upstream's intents less any dialog turn (a confirmation is answered here or not at all)."""
    return tuple(i for i in plan if i.name not in DIALOG_INTENTS)
