"""Flow expressions and prompt templates, evaluated in Jinja2's sandbox (never Python ``eval``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, meta
from jinja2.sandbox import SandboxedEnvironment

_ENV = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)
# Prompts: a missing earlier answer is an error (so the step's fallback prompt is shown),
# unless the template says what to show instead with ``| default('...')``.
_TEMPLATES = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


@lru_cache(maxsize=2048)
def _compiled_expression(expression: str) -> Any:
    return _ENV.compile_expression(expression, undefined_to_none=True)


@lru_cache(maxsize=2048)
def _compiled_template(template: str) -> Any:
    return _TEMPLATES.from_string(template)


class JinjaExpressions:
    """The :class:`bilan_tui.domain.flow.Expressions` used by the application."""

    def evaluate(self, expression: str, variables: Mapping[str, Any]) -> Any:
        return _compiled_expression(expression)(**variables)

    def render(self, template: str, variables: Mapping[str, Any]) -> str:
        return str(_compiled_template(template).render(**variables))


def expression_names(expression: str) -> set[str]:
    """The variables an expression reads; raises ``jinja2.TemplateSyntaxError`` when it is malformed."""
    return set(meta.find_undeclared_variables(_ENV.parse("{{ (" + expression + ") }}")))


def template_names(template: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(template)))
