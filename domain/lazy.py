"""Lazy re-exports for a package's ``__init__`` (PEP 562).

A package names its public API in ``__all__`` without importing its modules: a name is imported from
its module the first time it is asked for. So importing one module of a package does not import the
whole package (the speech, LLM and search backends stay unloaded until used) and a package's
``__init__`` closes no import cycle. A package also imports its names under ``TYPE_CHECKING`` so
type checkers see them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: ``exports`` maps each of its modules (relative
    name) to the public names it holds; the first access imports the module and keeps the name."""
    where = {name: f"{package}.{module}" for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
