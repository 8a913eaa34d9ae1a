"""French plurals for sentences a person reads: « 1 carte », « 5 cartes », never « carte(s) ».

In French, 0 and 1 take the singular (« 0 réponse à revoir », « 1,5 heure »); from 2 on, the
plural. The plural form is the singular with an ``s`` unless given (« travail » -> « travaux »);
a word already ending in ``s``, ``x`` or ``z`` does not change; one in ``-au`` or ``-eu`` takes an ``x``.
"""

from __future__ import annotations


def is_plural(count: float) -> bool:
    """Whether ``count`` takes the plural in French (2 and more, in absolute value)."""
    return abs(count) >= 2


def word(count: float, singular: str, plural: str | None = None) -> str:
    """The form of ``singular`` that agrees with ``count``, without the number.

    A single word gets its regular plural; several words need theirs given
    (``word(3, "réponse à revoir", "réponses à revoir")``): no rule guesses them right.
    """
    if plural is None and " " in singular.strip():
        raise ValueError(f"pluriel de « {singular} » à donner (plusieurs mots)")
    if not is_plural(count):
        return singular
    return plural if plural is not None else _plural_of(singular)


def plural(count: float, singular: str, plural: str | None = None) -> str:
    """``count`` followed by the agreeing form: « 1 carte », « 5 cartes », « 0 élément »."""
    number = f"{count:g}".replace(".", ",") if isinstance(count, float) else str(count)
    return f"{number} {word(count, singular, plural)}"


def _plural_of(singular: str) -> str:
    if not singular or singular[-1] in "sxzSXZ" or not singular[-1].isalpha():
        return singular
    if singular.endswith(("au", "eu")):
        return singular + "x"
    return singular + "s"
