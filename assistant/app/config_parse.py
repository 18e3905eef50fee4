"""Turning YAML and environment values into the typed option dataclasses of :mod:`assistant.app.config`.

Generic over any tree of frozen dataclasses: bools, numbers, strings, tuples, mappings and lists of
sections, each with an INVALID_ARGUMENT error that says where the bad value was.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from domain.errors import invalid_argument

__all__ = ["build", "env_overrides", "merge"]


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise invalid_argument(f"{where}: expected true/false, got {value!r}")
    if hint in (int, float):
        try:
            return hint(value)
        except (TypeError, ValueError) as err:
            raise invalid_argument(f"{where}: expected a number, got {value!r}") from err
    if hint is str:
        return str(value)
    if origin is tuple and isinstance(section := typing.get_args(hint)[0], type) and dataclasses.is_dataclass(section):
        return _sections(value, section, where)
    if origin is tuple:
        items = value.split(",") if isinstance(value, str) else list(value)
        return tuple(str(i).strip() for i in items if str(i).strip())
    if origin is collections.abc.Mapping:
        # "device=token,device2=token2" from the environment, a mapping from YAML
        if isinstance(value, str):
            pairs = (p.split("=", 1) for p in value.split(",") if "=" in p)
            return {k.strip(): v.strip() for k, v in pairs}
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
        raise invalid_argument(f"{where}: expected a mapping, got {value!r}")
    raise TypeError(f"{where}: no coercion for {hint!r}")


def _sections(value: Any, cls: type, where: str) -> tuple[Any, ...]:
    """A list of sections; from the environment, ``name=address`` items (``skills.remote``)."""
    if isinstance(value, str):
        value = [dict(zip(("name", "address"), item.split("=", 1))) for item in value.split(",") if item.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, Mapping) for item in value):
        raise invalid_argument(f"{where}: expected a list of sections, got {value!r}")
    return tuple(build(cls, item, f"{where}[{n}]") for n, item in enumerate(value))


def build(cls: type, data: Mapping[str, Any], where: str) -> Any:
    """An instance of the dataclass ``cls`` from ``data``; unknown options and bad values are INVALID_ARGUMENT."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, value in data.items():
        if key not in hints:
            raise invalid_argument(f"{where}: unknown option {key!r}")
        hint = hints[key]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if not isinstance(value, Mapping):
                raise invalid_argument(f"{where}.{key}: expected a section")
            kwargs[key] = build(hint, value, f"{where}.{key}")
        else:
            kwargs[key] = _coerce(value, hint, f"{where}.{key}")
    return cls(**kwargs)


def env_overrides(root: type, env: Mapping[str, str], prefix: str) -> dict[str, Any]:
    """``<PREFIX><SECTION>_<OPTION>`` variables as a nested mapping over ``root``'s sections."""
    sections = {f.name: f for f in dataclasses.fields(root)}
    overrides: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith(prefix) or name == prefix + "CONFIG":
            continue
        key = name[len(prefix) :].lower()
        if key in sections and not dataclasses.is_dataclass(typing.get_type_hints(root)[key]):
            overrides[key] = value
            continue
        section, _, option = key.partition("_")
        if section in sections and option:
            overrides.setdefault(section, {})[option] = value
    return overrides


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``extra`` laid over ``base``, section by section."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged
