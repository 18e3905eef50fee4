"""The subset of Home Assistant's payload templates that discovery configs use in practice.

Home Assistant discovery configs describe payloads with Jinja templates. We do not run
Jinja: the templates real hubs publish are overwhelmingly of a few shapes
(``{{ value_json.KEY }}``, ``{{ value_json['KEY'] }}``, ``{"k": {{ value }}}``, with a filter
or two), and a small exact parser that refuses anything else is safer than evaluating
templates that arrive over the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.errors import PayloadError, TemplateError
from iot_bridge.payloads import finite, load_json

_FILTER = r"\|\s*([a-z_]+)(?:\(\s*([^)]*?)\s*\))?\s*"
_FILTER_RE = re.compile(_FILTER)
_VALUE_RE = re.compile(
    r"^\{\{\s*(value_json((?:\s*\.\s*[A-Za-z_]\w*|\s*\[\s*(?:'[^']*'|\"[^\"]*\"|\d+)\s*\])*)|value)\s*"
    r"((?:" + _FILTER + r")*)\}\}$"
)
_PATH_PART_RE = re.compile(r"\.\s*([A-Za-z_]\w*)|\[\s*(?:'([^']*)'|\"([^\"]*)\"|(\d+))\s*\]")
_COMMAND_RE = re.compile(r"\{\{\s*value\s*((?:" + _FILTER + r")*)\}\}")
_FILTERS = frozenset({"int", "float", "round", "lower", "upper", "string", "trim"})


def _parse_filters(text: str) -> tuple[tuple[str, str], ...]:
    filters = tuple((m.group(1), m.group(2) or "") for m in _FILTER_RE.finditer(text))
    for name, arg in filters:
        if name not in _FILTERS:
            raise TemplateError(f"unsupported template filter {name!r}")
        if arg and not (name == "round" and arg.isdigit() and int(arg) <= 6):
            raise TemplateError(f"unsupported argument {arg!r} of template filter {name!r}")
    return filters


def _number(value: Any) -> float:
    number = finite(value)
    if number is None:
        raise ValueError(f"not a finite number: {str(value)[:32]!r}")
    return number


def _apply_filters(value: Any, filters: tuple[tuple[str, str], ...]) -> Any:
    for name, arg in filters:
        if name == "int":
            value = int(_number(value))
        elif name == "float":
            value = _number(value)
        elif name == "round":
            value = round(_number(value), int(arg or 0))
        elif name == "lower":
            value = str(value).lower()
        elif name == "upper":
            value = str(value).upper()
        elif name == "trim":
            value = str(value).strip()
        elif name == "string":
            value = str(value)
    return value


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: Returned when a payload does not carry the templated value.
MISSING: Any = _Missing()


@dataclass(frozen=True)
class ValueTemplate:
    """Where a value sits in a state payload: a JSON path, or the raw payload (``path`` None)."""

    path: tuple[str | int, ...] | None = None
    filters: tuple[tuple[str, str], ...] = ()

    def extract(self, payload: bytes | str) -> Any:
        """The value in ``payload``, or :data:`MISSING`."""
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if self.path is None:
            value: Any = text
        else:
            try:
                value = load_json(text)
            except PayloadError:
                return MISSING
            for part in self.path:
                if isinstance(part, int) and isinstance(value, list) and part < len(value):
                    value = value[part]
                elif isinstance(value, dict) and str(part) in value:
                    value = value[str(part)]
                else:
                    return MISSING
        try:
            return _apply_filters(value, self.filters)
        except (TypeError, ValueError):
            return MISSING

    def inject(self, document: dict[str, Any], value: Any) -> None:
        """Put ``value`` where :meth:`extract` will find it (used by devices rendering state)."""
        if not self.path:
            raise TemplateError("a raw-payload template has no place in a JSON document")
        target = document
        for part in self.path[:-1]:
            target = target.setdefault(str(part), {})
        target[str(self.path[-1])] = value


def parse_value_template(text: str | None) -> ValueTemplate:
    """Parse ``{{ value_json.a['b'] | float }}`` / ``{{ value }}`` / no template."""
    if text is not None and not isinstance(text, str):
        raise TemplateError(f"a template is text, not {type(text).__name__}")
    if text is None or not text.strip():
        return ValueTemplate()
    match = _VALUE_RE.match(text.strip())
    if match is None:
        raise TemplateError(f"unsupported value template {text!r}")
    filters = _parse_filters(match.group(3) or "")
    if match.group(1) == "value":
        return ValueTemplate(None, filters)
    parts: list[str | int] = []
    for part in _PATH_PART_RE.finditer(match.group(2) or ""):
        name, single, double, index = part.groups()
        parts.append(int(index) if index is not None else (name or single or double or ""))
    if not parts:
        raise TemplateError(f"whole-document template {text!r} is not supported")
    return ValueTemplate(tuple(parts), filters)


@dataclass(frozen=True)
class CommandTemplate:
    """``PREFIX{{ value | filters }}SUFFIX``: renders a device value into a payload and back."""

    prefix: str = ""
    suffix: str = ""
    filters: tuple[tuple[str, str], ...] = ()

    def render(self, value: Any) -> str:
        value = _apply_filters(value, self.filters)
        if isinstance(value, bool):
            text = "True" if value else "False"  # what Jinja prints
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        return f"{self.prefix}{text}{self.suffix}"

    def parse(self, payload: str) -> str | None:
        """The value text inside ``payload``, or None when the payload does not fit."""
        if len(payload) < len(self.prefix) + len(self.suffix):
            return None
        if not (payload.startswith(self.prefix) and payload.endswith(self.suffix)):
            return None
        return payload[len(self.prefix): len(payload) - len(self.suffix)]


def parse_command_template(text: str | None) -> CommandTemplate:
    """Parse a command template with exactly one ``{{ value }}`` (or none: the raw value)."""
    if text is not None and not isinstance(text, str):
        raise TemplateError(f"a template is text, not {type(text).__name__}")
    if text is None or not text.strip():
        return CommandTemplate()
    matches = list(_COMMAND_RE.finditer(text))
    if len(matches) != 1 or "{%" in text or text.count("{{") != 1:
        raise TemplateError(f"unsupported command template {text!r}")
    match = matches[0]
    return CommandTemplate(text[: match.start()], text[match.end():], _parse_filters(match.group(1) or ""))
