"""A follow-up that names only a new part (“那它的水箱呢”, “what about its remote”) asks the
previous question again about that part: it takes the previous question's kind of figure and,
as weak concepts, its other words, so “那它的水箱呢” after “尘盒能装多少灰” looks for the water
tank's capacity and “what about its remote” after “how long is the warranty” for the remote's
warranty.
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict

from .query import Concept, QueryPlan

__all__ = ["RecentQuestions", "follow_up"]

#: A question that is only a new subject: “那它的水箱呢”, “水箱呢？”, “and the remote?”, “what about its remote”.
_ELLIPSIS = re.compile(r"^(?:那|那么|还有)?[^，,。？?]{0,12}呢\s*[？?]?$|^(?:and|what about|how about)(?![a-z])")


def follow_up(plan: QueryPlan, previous: QueryPlan | None) -> QueryPlan:
    """``plan`` completed from the ``previous`` question of the dialog when it is an elliptical
    follow-up that asks for no figure of its own; else ``plan`` unchanged."""
    if previous is None or plan.asked.kind or not _ELLIPSIS.search(plan.question.strip()):
        return plan
    own = {c.word for c in plan.concepts}
    carried = tuple(Concept(c.word, c.alternatives, False) for c in previous.concepts if c.word not in own)
    words = [w for c in carried for w in c.alternatives]
    return dataclasses.replace(plan, asked=previous.asked, concepts=plan.concepts + carried,
                               text=" ".join([plan.text, *words]))


class RecentQuestions:
    """The last question planned in each dialog (at most ``size`` dialogs, the oldest forgotten)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._plans: OrderedDict[str, QueryPlan] = OrderedDict()

    def get(self, session_id: str) -> QueryPlan | None:
        return self._plans.get(session_id) if session_id else None

    def remember(self, session_id: str, plan: QueryPlan) -> None:
        if not session_id:
            return
        self._plans[session_id] = plan
        self._plans.move_to_end(session_id)
        while len(self._plans) > self.size:
            self._plans.popitem(last=False)
