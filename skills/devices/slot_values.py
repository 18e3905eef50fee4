"""Reading numbers out of slots, which may come from rules, a model or an LLM."""

from __future__ import annotations

import math
from typing import Any


def number_slot(value: Any) -> float | None:
    """A finite number from a slot (a number or a numeric string), else ``None``; booleans are not numbers."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
