"""How a beneficiary is reached: the phone number, checked and written the usual French way.

A strict rule rather than a numbering-plan library (``phonenumbers``): the form only needs to know
that what was typed is a number that can be dialled from France, and the rule is short enough to be
read; a consultant who works abroad still types any international number (``+``, the country code,
at most 15 digits in all, as ITU-T E.164 says).
"""

from __future__ import annotations

import re

from bilan_tui.domain.text import clean_text, excerpt, normalise_digits

MAX_PHONE_LENGTH = 40
"""Characters typed for a phone number, separators included."""
E164_MAX_DIGITS = 15
"""Digits of an international number, country code included (ITU-T E.164)."""
INTERNATIONAL_MIN_DIGITS = 8
"""Fewer digits after ``+`` (country code included) is no number of any country."""

EXAMPLES = "exemples : 06 12 34 56 78, +33 6 12 34 56 78, +32 470 12 34 56"


class PhoneError(ValueError):
    """The text is not a phone number; the message (French) says why and shows examples."""


_SEPARATORS = re.compile(r"[ .\-\u00a0\u202f]+")


def _grouped(digits: str) -> str:
    return " ".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def parse_phone(text: str) -> str:
    """A French or international phone number as stored, or ``""`` for nothing typed.

    French: ten digits starting with 0 (``0612345678``, ``06.12.34.56.78``), or ``+33``/``0033`` and
    nine digits (a ``(0)`` after the country code is allowed), stored ``06 12 34 56 78``.
    Elsewhere: ``+`` or ``00``, the country code and the number, 8 to 15 digits in all, stored with
    ``+`` and the spaces typed. Raises :class:`PhoneError` otherwise.
    """
    typed = normalise_digits(clean_text(text)).strip()
    if not typed:
        return ""
    if len(typed) > MAX_PHONE_LENGTH:
        raise PhoneError(f"Un numéro de téléphone a au plus {MAX_PHONE_LENGTH} caractères ({EXAMPLES}).")
    if not re.fullmatch(r"\+?[0-9 .\-()\u00a0\u202f]+", typed):
        raise PhoneError(f"« {excerpt(typed)} » n'est pas un numéro de téléphone : des chiffres, des espaces "
                         f"et un + au début seulement ({EXAMPLES}).")
    spaced = _SEPARATORS.sub(" ", typed)
    international = spaced.startswith(("+", "00"))
    body = spaced[1:] if spaced.startswith("+") else spaced[2:] if international else spaced
    body = re.sub(r"^([0-9]{1,3}) ?\(0\) ?", r"\1 ", body) if international else body  # +33 (0)6 ...
    if "(" in body or ")" in body:
        raise PhoneError(f"« {excerpt(typed)} » : des parenthèses seulement pour un (0) après l'indicatif "
                         f"({EXAMPLES}).")
    digits = body.replace(" ", "")
    if international and digits.startswith("33"):
        national = digits[2:]
        if len(national) != 9 or national.startswith("0"):
            raise PhoneError(f"« {excerpt(typed)} » : après +33, un numéro français a 9 chiffres "
                             "(+33 6 12 34 56 78).")
        return "0" + national[0] + " " + _grouped(national[1:])
    if international:
        if digits.startswith("0"):
            raise PhoneError(f"« {excerpt(typed)} » : l'indicatif du pays ne commence pas par 0 ({EXAMPLES}).")
        if not INTERNATIONAL_MIN_DIGITS <= len(digits) <= E164_MAX_DIGITS:
            raise PhoneError(f"« {excerpt(typed)} » : un numéro international a de {INTERNATIONAL_MIN_DIGITS} à "
                             f"{E164_MAX_DIGITS} chiffres, indicatif du pays compris ({len(digits)} ici).")
        return "+" + body.strip()
    if len(digits) != 10 or not digits.startswith("0") or digits[1] == "0":
        raise PhoneError(f"« {excerpt(typed)} » : un numéro français a 10 chiffres et commence par 0 ; "
                         f"un numéro étranger commence par + et l'indicatif du pays ({EXAMPLES}).")
    return _grouped(digits)
