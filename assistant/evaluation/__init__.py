"""``assistant eval``: case files (``docs/eval-cases.md``) run end to end, checked against device state."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.evaluation.actions import question_case, unexpected_changes
    from assistant.evaluation.cases import Case, check, parse_cases
    from assistant.evaluation.content_checks import catalogue, unknown_failures
    from assistant.evaluation.runner import CaseResult, Evaluator, lines, summarize

__all__ = ["Case", "CaseResult", "Evaluator", "catalogue", "check", "lines", "parse_cases", "question_case", "summarize",
           "unexpected_changes", "unknown_failures"]

__getattr__ = lazy_exports(__name__, {
    "actions": ["question_case", "unexpected_changes"],
    "cases": ["Case", "check", "parse_cases"],
    "content_checks": ["catalogue", "unknown_failures"],
    "runner": ["CaseResult", "Evaluator", "lines", "summarize"],
})
