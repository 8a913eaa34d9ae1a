"""Flow expressions and prompt templates, evaluated in a bounded Jinja2 sandbox (never Python ``eval``).

Flow files may come from a colleague: an expression is untrusted code. Jinja2's immutable sandbox
already refuses ``_private`` and ``__dunder__`` attributes and any change to the answers; on top of
it, :class:`BoundedEnvironment` bounds what one evaluation may cost:

- every arithmetic operator is intercepted: ``**`` refuses results of more than :data:`MAX_INT_BITS`
  bits, ``*`` and ``+`` refuse texts and lists longer than :data:`MAX_SIZE`, ``%`` refuses
  ``printf``-style formatting of a text (its width could be a gigabyte);
- only a list of cheap filters is offered, and those whose output can grow (``join``, ``replace``,
  ``center``, ``indent``, ``batch``...) check the size of their result before computing it;
- ``range`` is bounded (:data:`MAX_RANGE`), ``str.format`` and padding methods are not available;
- every operator, call and filter counts against a budget of :data:`MAX_OPERATIONS` per evaluation,
  what they produce together against :data:`MAX_TOTAL`, ``~`` joins at most :data:`MAX_CONCAT_PARTS`
  texts, and a rendered prompt stops at :data:`MAX_OUTPUT` characters;
- prompts are text with ``{{ }}`` substitutions only: no ``{% %}`` statements (no loops, no
  ``set``, no macros); conditions are single expressions.

:func:`check_expression` and :func:`check_template` run these rules at load, and evaluate the parts
of an expression that read no answer (``10 ** (10 ** 9)``, ``'a' * 10 ** 9``), so that such a flow
is refused before it is ever run. Every failure at run time becomes a
:class:`~bilan_tui.domain.flow.ExpressionError` with a French message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bilan_tui.domain.flow import ExpressionError, MissingValueError
from bilan_tui.domain.plural import plural
from bilan_tui.domain.text import clean_text

MAX_SIZE = 200_000
"""Characters of a text, or elements of a list (counted deeply), that one operation may produce."""
MAX_INT_BITS = 4_096
"""Bits of an integer an operation may produce (about 1 200 decimal digits)."""
MAX_RANGE = 10_000
MAX_OPERATIONS = 100_000
"""Operators, calls and filters of one evaluation (``map`` counts one per element)."""
MAX_TOTAL = 2_000_000
"""Characters and elements that all the operations of one evaluation may produce together."""
MAX_CONCAT_PARTS = 100
"""Operands of ``~`` in one expression (``~`` joins texts already bounded: their number is bounded)."""
MAX_OUTPUT = 200_000
"""Characters of a rendered prompt."""
MAX_EXPRESSION_LENGTH = 20_000
"""Characters of one expression or prompt in a flow file."""


class Refused(SecurityError):
    """An operation that flows may not do (message in French)."""


class BudgetExceeded(Refused):
    """An operation of an expression would cost more than the sandbox allows (message in French)."""


# -- the budget of one evaluation ----------------------------------------------------------------

_OPERATIONS: ContextVar[list[int]] = ContextVar("flow_expression_operations")


@contextmanager
def _budget() -> Iterator[None]:
    token = _OPERATIONS.set([MAX_OPERATIONS, MAX_TOTAL])
    try:
        yield
    finally:
        _OPERATIONS.reset(token)


def _spend() -> None:
    counter = _OPERATIONS.get(None)
    if counter is None:  # outside an evaluation (compile-time folding): no budget to count
        return
    counter[0] -= 1
    if counter[0] < 0:
        raise BudgetExceeded(f"trop d'opérations (plus de {MAX_OPERATIONS})")


# -- sizes ---------------------------------------------------------------------------------------


def _size(value: Any, limit: int = MAX_SIZE) -> int:
    """Characters and elements in ``value``, counted through nested lists; stops past ``limit``."""
    total = 0
    todo = [value]
    while todo and total <= limit:
        item = todo.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, Mapping):
            total += len(item)
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item)
            todo.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 64
        else:
            total += 1
    return total


def _refuse_size(size: int | float, what: str = "résultat") -> None:
    if size > MAX_SIZE:
        raise BudgetExceeded(f"{what} trop grand (plus de {MAX_SIZE} caractères ou éléments)")


def _checked(value: Any) -> Any:
    """``value`` if its size is within bounds; counts it against the evaluation's total."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise BudgetExceeded(f"nombre trop grand (plus de {MAX_INT_BITS} bits)")
    size = _size(value)
    _refuse_size(size)
    counter = _OPERATIONS.get(None)
    if counter is not None:
        counter[1] -= size
        if counter[1] < 0:
            raise BudgetExceeded(f"calculs trop volumineux (plus de {MAX_TOTAL} caractères ou éléments en tout)")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _bounded_binop(operator: str, left: Any, right: Any) -> Any:
    """``left operator right``, refused before it is computed when its result would be too big."""
    _spend()
    if operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            if right * math.log2(abs(left)) > MAX_INT_BITS:
                raise BudgetExceeded(f"puissance trop grande (résultat de plus de {MAX_INT_BITS} bits)")
        return _checked(left**right)
    if operator == "*":
        if _is_sequence(left) and _is_int(right):
            _refuse_size(_size(left) * right)
        elif _is_int(left) and _is_sequence(right):
            _refuse_size(left * _size(right))
        elif _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
            raise BudgetExceeded(f"nombre trop grand (plus de {MAX_INT_BITS} bits)")
        return _checked(left * right)
    if operator == "+":
        if _is_sequence(left) and _is_sequence(right):
            _refuse_size(_size(left) + _size(right))
        return _checked(left + right)
    if operator == "%":
        if isinstance(left, str):
            raise BudgetExceeded("la mise en forme « texte % valeurs » n'est pas permise (utiliser ~)")
        return _checked(left % right)
    if operator == "-":
        return _checked(left - right)
    if operator == "/":
        return _checked(left / right)
    if operator == "//":
        return _checked(left // right)
    raise BudgetExceeded(f"opérateur « {operator} » non permis")


def _bounded_range(*args: Any) -> range:
    _spend()
    if not all(_is_int(a) for a in args):
        raise ExpressionError("range() attend des nombres entiers")
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise BudgetExceeded(f"range() trop grand (plus de {MAX_RANGE} éléments)")
    return values


# -- filters -------------------------------------------------------------------------------------


def _int_arg(value: Any, default: int) -> int:
    return value if _is_int(value) else default


def _estimate_join(value: Any, d: Any = "", attribute: Any = None) -> float:
    items = value if isinstance(value, list | tuple) else list(value) if isinstance(value, str) else []
    return _size(value) + len(str(d)) * len(items)


def _estimate_replace(s: Any, old: Any = "", new: Any = "", count: Any = None) -> float:
    text, old_text, new_text = str(s), str(old), str(new)
    found = text.count(old_text) if old_text else len(text) + 1
    if _is_int(count) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(0, len(new_text) - len(old_text))


def _estimate_center(value: Any, width: Any = 80) -> float:
    return max(len(str(value)), _int_arg(width, 0))


def _estimate_indent(s: Any, width: Any = 4, first: Any = False, blank: Any = False) -> float:
    text = str(s)
    unit = width if _is_int(width) else len(str(width))
    return len(text) + (text.count("\n") + 1) * max(unit, 0)


def _estimate_wordwrap(s: Any, width: Any = 79, break_long_words: Any = True, wrapstring: Any = None,
                       break_on_hyphens: Any = True) -> float:
    text = str(s)
    return len(text) + (len(text) + 1) * len(str(wrapstring or "\n"))


def _estimate_truncate(s: Any, length: Any = 255, killwords: Any = False, end: Any = "...",
                       leeway: Any = None) -> float:
    return len(str(s)) + len(str(end))


def _estimate_batch(value: Any, linecount: Any, fill_with: Any = None) -> float:
    return _size(value) + (abs(_int_arg(linecount, 0)) if fill_with is not None else 0)


def _estimate_slice(value: Any, slices: Any, fill_with: Any = None) -> float:
    return _size(value) + abs(_int_arg(slices, 0))


def _estimate_round(value: Any, precision: Any = 0, method: Any = "common") -> float:
    # ``5 | round(-10**9)`` computes 10 ** (10 ** 9): precision is a number of digits, keep it sane.
    return abs(_int_arg(precision, 0)) * 1000


def _estimate_sum(iterable: Any, attribute: Any = None, start: Any = 0) -> float:
    # Summing lists is quadratic (``[[x] * k] * m | sum(start=[])``): numbers only.
    if not isinstance(start, int | float):
        raise BudgetExceeded("sum() additionne des nombres seulement")
    return _size(iterable)


_ESTIMATES: dict[str, Callable[..., float]] = {
    "join": _estimate_join,
    "replace": _estimate_replace,
    "center": _estimate_center,
    "indent": _estimate_indent,
    "wordwrap": _estimate_wordwrap,
    "truncate": _estimate_truncate,
    "batch": _estimate_batch,
    "slice": _estimate_slice,
    "round": _estimate_round,
    "sum": _estimate_sum,
}

ALLOWED_FILTERS = frozenset({
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "first", "float",
    "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
    "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "slice", "sort", "string",
    "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "wordcount", "wordwrap",
})
"""Jinja2's filters offered to flows (with ``pluriel``, ours); left out: ``format`` (a width can be a gigabyte), ``random`` (prompts are
reproducible), ``urlize``/``xmlattr``/``urlencode``/``pprint``/``safe``/``escape`` (HTML, debug)."""


def _materialized(value: Any) -> Any:
    """``value``, or the list of what it yields when it is an iterator (at most :data:`MAX_SIZE` items)."""
    if isinstance(value, str | bytes | list | tuple | Mapping | set | frozenset) or not hasattr(value, "__next__"):
        return value
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_SIZE:
            raise BudgetExceeded(f"trop d'éléments (plus de {MAX_SIZE})")
    return items


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    estimate = _ESTIMATES.get(name)
    pass_arg = getattr(function, "jinja_pass_arg", None)

    def bounded(*args: Any, **kwargs: Any) -> Any:
        _spend()
        if estimate is not None:
            # The filter's own arguments come after the environment/context it may receive first.
            first = 1 if pass_arg is not None else 0
            if len(args) > first:
                # A generator (``map``, ``select``...) has no size until it is run: run it, bounded.
                args = (*args[:first], _materialized(args[first]), *args[first + 1:])
            own = args[first:]
            try:
                size = estimate(*own, **kwargs)
            except TypeError:
                size = 0  # wrong arguments: the filter itself says so
            _refuse_size(size, f"résultat du filtre « {name} »")
        return _checked(function(*args, **kwargs))

    bounded.__name__ = getattr(function, "__name__", name)
    if pass_arg is not None:
        bounded.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    return bounded


MAX_WORD = 200
"""Characters of a word given to ``pluriel``."""


def _pluriel(count: Any, singular: Any, plural_form: Any = None) -> str:
    """``{{ n | pluriel('carte') }}``: « 1 carte », « 5 cartes » (``pluriel('travail', 'travaux')``
    for an irregular word or several words)."""
    if isinstance(count, bool) or not isinstance(count, int | float):
        raise Refused("pluriel() compte un nombre")
    words = [w for w in (singular, plural_form) if w is not None]
    if not all(isinstance(w, str) for w in words) or any(len(w) > MAX_WORD for w in words):
        raise Refused(f"pluriel() prend des mots (au plus {MAX_WORD} caractères)")
    try:
        return plural(count, singular, plural_form)
    except ValueError as error:
        raise Refused(str(error)) from None


OUR_FILTERS: dict[str, Callable[..., Any]] = {"pluriel": _pluriel}
"""Filters of bilan-tui's own, bounded like the others."""


# -- methods of values ---------------------------------------------------------------------------

_REFUSED_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map",
                              "encode", "translate", "maketrans"})
"""Methods that pad or format to a size given as an argument: their filters (bounded) do the same."""


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with every operation bounded in size and number."""

    intercepted_binops = frozenset({"**", "*", "+", "-", "/", "//", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(autoescape=False, **options)
        self.globals.clear()
        self.globals.update({"range": _bounded_range, "dict": dict})
        self.filters = {name: _bounded_filter(name, DEFAULT_FILTERS[name]) for name in sorted(ALLOWED_FILTERS)}
        self.filters.update({name: _bounded_filter(name, function) for name, function in OUR_FILTERS.items()})

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # ``'{:>999999999}'.format(1)``: a width in a format is a size nobody checks; not offered.
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args: Any, **kwargs: Any) -> str:
            raise Refused("la méthode « format » n'est pas permise (utiliser ~)")

        return refused

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _bounded_binop(operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _REFUSED_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _spend()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _REFUSED_METHODS:
                raise Refused(f"la méthode « {name} » n'est pas permise")
            if name == "replace":
                _refuse_size(_estimate_replace(owner, *args, **kwargs))
            elif name == "join" and args:
                args = (_materialized(args[0]), *args[1:])
                _refuse_size(_estimate_join(args[0], owner))
        return _checked(super().call(__context, __obj, *args, **kwargs))


_ENV = BoundedEnvironment()
# Prompts: a missing earlier answer is an error (so the step's fallback prompt is shown),
# unless the template says what to show instead with ``| default('...')``.
_TEMPLATES = BoundedEnvironment(undefined=StrictUndefined)


# -- static checks (at load) -----------------------------------------------------------------------


def _parse_expression(expression: str) -> nodes.Template:
    """The expression inside a template of one ``{{ }}`` (so that the checks see its top node too)."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression trop longue (plus de {MAX_EXPRESSION_LENGTH} caractères)")
    return _ENV.parse("{{ (" + expression + ") }}")


def _parse_template(template: str) -> nodes.Template:
    if len(template) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"texte trop long (plus de {MAX_EXPRESSION_LENGTH} caractères)")
    return _TEMPLATES.parse(template)


_NOT_CONSTANT = object()


def _constant(node: nodes.Node) -> Any:
    """The value of an expression that reads no answer, computed with the bounded operations.

    Returns ``_NOT_CONSTANT`` when the expression depends on answers; raises when computing it fails
    (it would fail at every run).
    """
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.List | nodes.Tuple):
        items = [_constant(item) for item in node.items]
        if any(item is _NOT_CONSTANT for item in items):
            return _NOT_CONSTANT
        return _checked(items if isinstance(node, nodes.List) else tuple(items))
    if isinstance(node, nodes.BinExpr):
        left, right = _constant(node.left), _constant(node.right)
        if left is _NOT_CONSTANT or right is _NOT_CONSTANT:
            return _NOT_CONSTANT
        return _bounded_binop(node.operator, left, right)
    if isinstance(node, nodes.Neg | nodes.Pos):
        value = _constant(node.node)
        if value is _NOT_CONSTANT:
            return _NOT_CONSTANT
        return -value if isinstance(node, nodes.Neg) else +value
    if isinstance(node, nodes.Concat):
        parts = [_constant(part) for part in node.nodes]
        if any(part is _NOT_CONSTANT for part in parts):
            return _NOT_CONSTANT
        _refuse_size(sum(len(str(part)) for part in parts))
        return "".join(str(part) for part in parts)
    if isinstance(node, nodes.Filter) and node.node is not None and node.name in _ENV.filters:
        function = _ENV.filters[node.name]
        value = _constant(node.node)
        args = [_constant(arg) for arg in node.args]
        kwargs = {str(pair.key): _constant(pair.value) for pair in node.kwargs}
        constant = value is not _NOT_CONSTANT and all(a is not _NOT_CONSTANT for a in [*args, *kwargs.values()])
        if not constant or getattr(function, "jinja_pass_arg", None) is not None or node.dyn_args or node.dyn_kwargs:
            return _NOT_CONSTANT
        return function(value, *args, **kwargs)
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range":
        args = [_constant(arg) for arg in node.args]
        if node.kwargs or node.dyn_args or node.dyn_kwargs or any(a is _NOT_CONSTANT for a in args):
            return _NOT_CONSTANT
        return _bounded_range(*args)
    for child in node.iter_child_nodes():  # an expression over answers may hold constant parts
        _constant(child)
    return _NOT_CONSTANT


def _check_nodes(root: nodes.Node) -> None:
    """Refuse statements, private attributes and unknown filters; compute the constant parts."""
    for statement in root.find_all(nodes.Stmt):
        if not isinstance(statement, nodes.Output):
            raise ExpressionError("instruction {% … %} non permise : seules les substitutions {{ … }} le sont")
    for access in root.find_all((nodes.Getattr, nodes.Getitem)):
        name = access.attr if isinstance(access, nodes.Getattr) else (
            access.arg.value if isinstance(access, nodes.Getitem) and isinstance(access.arg, nodes.Const) else None)
        if isinstance(name, str) and name.startswith("_"):
            raise ExpressionError(f"accès interdit à « {name} »")
    for used in root.find_all(nodes.Filter):
        if used.name not in _ENV.filters:
            raise ExpressionError(f"filtre inconnu ou non permis « {used.name} »")
    for test in root.find_all(nodes.Test):
        if test.name not in _ENV.tests:
            raise ExpressionError(f"test inconnu « {test.name} »")
    if sum(len(concat.nodes) for concat in root.find_all(nodes.Concat)) > MAX_CONCAT_PARTS:
        raise ExpressionError(f"trop de textes joints par ~ (plus de {MAX_CONCAT_PARTS})")
    for variable in root.find_all(nodes.Name):
        if variable.ctx != "load":
            raise ExpressionError("affectation non permise")
    try:
        _constant(root)
    except ExpressionError:
        raise
    except (SecurityError, ArithmeticError, TypeError, ValueError, LookupError) as error:
        raise ExpressionError(_describe(error)) from None


def check_expression(expression: str) -> set[str]:
    """Check a condition at load; return the variables it reads.

    Raises ``jinja2.TemplateSyntaxError`` when it is malformed, :class:`ExpressionError` when it
    breaks a rule of the sandbox or is too costly.
    """
    parsed = _parse_expression(expression)
    _check_nodes(parsed)
    _compile_at_load(_compiled_expression, expression)
    return set(meta.find_undeclared_variables(parsed))


def check_template(template: str) -> set[str]:
    """Check a prompt at load; return the variables it reads."""
    parsed = _parse_template(template)
    _check_nodes(parsed)
    _compile_at_load(_compiled_template, template)
    return set(meta.find_undeclared_variables(parsed))


def _compile_at_load(compile_: Callable[[str], Any], text: str) -> None:
    try:
        compile_(text)
    except (SyntaxError, RecursionError):  # Python's own limits on the code Jinja2 generates
        raise ExpressionError("expression trop longue ou trop imbriquée") from None


def expression_names(expression: str) -> set[str]:
    """The variables an expression reads; raises ``jinja2.TemplateSyntaxError`` when it is malformed."""
    return set(meta.find_undeclared_variables(_ENV.parse("{{ (" + expression + ") }}")))


def template_names(template: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(template)))


# -- evaluation ----------------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _compiled_expression(expression: str) -> Any:
    _check_nodes(_parse_expression(expression))
    return _ENV.compile_expression(expression, undefined_to_none=True)


@lru_cache(maxsize=2048)
def _compiled_template(template: str) -> Any:
    _check_nodes(_parse_template(template))
    return _TEMPLATES.from_string(template)


def _describe(error: BaseException) -> str:
    """A French description of why an evaluation failed."""
    if isinstance(error, ExpressionError | Refused):
        return str(error)
    if isinstance(error, SecurityError):
        return "opération non permise dans un parcours"
    if isinstance(error, ZeroDivisionError):
        return "division par zéro"
    if isinstance(error, OverflowError):
        return "nombre trop grand"
    if isinstance(error, TypeError):
        return "types incompatibles, par exemple un texte comparé à un nombre"
    if isinstance(error, ValueError):
        return "valeur impossible"
    if isinstance(error, LookupError):
        return "élément absent"
    if isinstance(error, RecursionError | SyntaxError):
        return "expression trop longue ou trop imbriquée"
    if isinstance(error, TemplateError):
        return f"expression invalide ({error.__class__.__name__})"
    return f"erreur inattendue ({error.__class__.__name__})"


def _missing(names: set[str], variables: Mapping[str, Any]) -> bool:
    """Whether the expression reads an answer that is not given (or empty)."""
    return any(variables.get(name) is None for name in names - set(_ENV.globals))


class JinjaExpressions:
    """The :class:`bilan_tui.domain.flow.Expressions` used by the application.

    Any failure of an expression is raised as :class:`ExpressionError` (a
    :class:`MissingValueError` when it reads an answer not given); ``MemoryError`` is not caught.
    """

    def evaluate(self, expression: str, variables: Mapping[str, Any]) -> Any:
        try:
            with _budget():
                return _compiled_expression(expression)(**variables)
        except (MemoryError, KeyboardInterrupt):
            raise
        except UndefinedError as error:
            raise MissingValueError(_describe(error)) from None
        except Exception as error:
            if _missing(_names(expression), variables):
                raise MissingValueError(_describe(error)) from None
            raise ExpressionError(_describe(error)) from None

    def render(self, template: str, variables: Mapping[str, Any]) -> str:
        try:
            with _budget():
                pieces: list[str] = []
                length = 0
                for piece in _compiled_template(template).generate(**variables):
                    length += len(piece)
                    if length > MAX_OUTPUT:
                        raise BudgetExceeded(f"texte produit trop long (plus de {MAX_OUTPUT} caractères)")
                    pieces.append(piece)
        except (MemoryError, KeyboardInterrupt):
            raise
        except UndefinedError as error:
            raise MissingValueError(_describe(error)) from None
        except Exception as error:
            if _missing(_template_names(template), variables):
                raise MissingValueError(_describe(error)) from None
            raise ExpressionError(_describe(error)) from None
        # ``{{ '\x1b[2J' }}``: Jinja2 string literals know escapes; nothing reaches the terminal raw.
        return clean_text("".join(pieces), multiline=True)


@lru_cache(maxsize=2048)
def _names(expression: str) -> set[str]:
    try:
        return expression_names(expression)
    except TemplateError:
        return set()


@lru_cache(maxsize=2048)
def _template_names(template: str) -> set[str]:
    try:
        return template_names(template)
    except TemplateError:
        return set()
