"""Prices of a bilan in euros: ``Decimal`` only, rounded to the cent half up, read from French input.

The default is the seed's flat fee: 1 500 € HT, i.e. 1 800 € TTC with 20 % VAT. The VAT rate is set
per dossier too: a training body exempted from VAT (article 261-4-4° of the Code général des impôts)
sets it to 0 and then HT and TTC are the same amount.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from pydantic import Field

from bilan_tui.domain.models import Model
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.text import clean_text, excerpt, normalise_digits

CENT = Decimal("0.01")
DEFAULT_EXCL_TAX = Decimal("1500.00")
DEFAULT_VAT_RATE = Decimal("0.20")
MAX_AMOUNT = Decimal("1000000")
"""Above a million euros an amount is a typing slip, not the price of a bilan."""

_NBSP = "\u00a0"
_NNBSP = "\u202f"


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent, half up (0,005 € -> 0,01 €)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_euros(amount: Decimal) -> str:
    """« 1 500,00 € »: narrow no-break space between thousands, no-break space before the sign."""
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(to_cents(amount)):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{_NNBSP.join(groups)},{cents}{_NBSP}€"


def format_rate(rate: Decimal) -> str:
    """« 20 % », « 5,5 % »."""
    percent = (rate * 100).normalize()
    text = f"{percent:f}".replace(".", ",")
    return f"{text}{_NBSP}%"


def parse_amount(text: str, what: str = "Le prix") -> Decimal:
    """An amount in euros typed in French or plainly: « 1 500,00 € », « 1500.5 », « 1 800 EUR », « 1.500,50 ».

    A space, a no-break space or, beside a comma, a dot group the thousands; the comma (or a lone dot
    followed by one or two digits) marks the cents. Refused with a French sentence: nothing, not a
    number, a negative amount, more than two decimals, a lone dot followed by three digits (« 1.500 »
    reads as 1 500 € or as 1,5 €: it is asked again), more than a million euros.
    """
    cleaned = normalise_digits(clean_text(text)).strip()
    body = re.sub(r"\s*(?:€|eur|euros?)$", "", cleaned, flags=re.IGNORECASE).strip()
    if not body:
        raise ProcedureError(f"{what} : indiquez un montant en euros (exemple : 1 500,00).", "price")
    if body.startswith(("-", "\u2212")):
        raise ProcedureError(f"{what} ne peut pas être négatif (« {excerpt(cleaned)} »).", "price")
    compact = re.sub(rf"[ {_NBSP}{_NNBSP}']", "", body)
    if "," in compact:
        if not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]+|[0-9]+,[0-9]+", compact):
            raise _not_an_amount(what, cleaned)
        number = compact.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[0-9]+\.[0-9]{3}", compact):
        raise ProcedureError(f"{what} : « {excerpt(cleaned)} » est ambigu ; écrivez {compact.replace('.', ' ')} "
                             f"ou {compact.replace('.', ',')[:-1]} selon le montant voulu.", "price")
    elif re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", compact):
        number = compact
    else:
        raise _not_an_amount(what, cleaned)
    if len(number) > 20:
        raise _not_an_amount(what, cleaned)
    try:
        amount = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the patterns only let numbers through
        raise _not_an_amount(what, cleaned) from None
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ProcedureError(f"{what} se donne au centime près : deux chiffres après la virgule au plus "
                             f"(« {excerpt(cleaned)} »).", "price")
    if amount > MAX_AMOUNT:
        raise ProcedureError(f"{what} : {format_euros(amount)} dépasse un million d'euros ; vérifiez la saisie.",
                             "price")
    return to_cents(amount)


def _not_an_amount(what: str, cleaned: str) -> ProcedureError:
    return ProcedureError(f"{what} : « {excerpt(cleaned)} » n'est pas un montant (exemples : 1 500,00 € ou 1500.5).",
                          "price")


def parse_rate(text: str) -> Decimal:
    """A VAT rate typed as a percentage: « 20 », « 20 % », « 5,5 »; from 0 to 100 %."""
    cleaned = normalise_digits(clean_text(text)).strip()
    body = cleaned.removesuffix("%").strip().replace(",", ".")
    if not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,2})?", body) or Decimal(body) > 100:
        raise ProcedureError(f"Taux de TVA : « {excerpt(cleaned)} » n'est pas un taux de 0 à 100 % "
                             "(exemples : 20, 5,5, 0).", "vat_rate")
    return Decimal(body) / 100


class Price(Model):
    """The flat fee of one dossier: the amount excluding tax and the VAT rate; TTC is computed."""

    excl_tax: Decimal = Field(default=DEFAULT_EXCL_TAX, ge=0, le=MAX_AMOUNT, decimal_places=2)
    vat_rate: Decimal = Field(default=DEFAULT_VAT_RATE, ge=0, le=1)

    @property
    def vat(self) -> Decimal:
        return to_cents(self.excl_tax * self.vat_rate)

    @property
    def incl_tax(self) -> Decimal:
        """HT plus the VAT rounded to the cent: what the invoice shows, line by line."""
        return to_cents(self.excl_tax) + self.vat

    @property
    def label(self) -> str:
        """« 1 500,00 € HT, soit 1 800,00 € TTC (TVA 20 %) », or « … € (TVA non applicable) » at 0 %."""
        if self.vat_rate == 0:
            return f"{format_euros(self.excl_tax)} (TVA non applicable)"
        return (f"{format_euros(self.excl_tax)} HT, soit {format_euros(self.incl_tax)} TTC "
                f"(TVA {format_rate(self.vat_rate)})")

    def share(self, rate: Decimal) -> Decimal:
        """``rate`` of the price TTC, rounded down to the cent: a cap (the 30 % of a self-funded bilan,
        « au plus ») never allows the half cent that rounding half up would add."""
        return (self.incl_tax * rate).quantize(CENT, rounding=ROUND_DOWN)


def price_from_excl_tax(text: str, vat_rate: Decimal = DEFAULT_VAT_RATE) -> Price:
    """A price from the amount HT as typed."""
    return Price(excl_tax=parse_amount(text, "Le prix HT"), vat_rate=vat_rate)


def price_from_incl_tax(text: str, vat_rate: Decimal = DEFAULT_VAT_RATE) -> Price:
    """A price from the amount TTC as typed: HT is the TTC divided by 1 + rate, rounded to the cent.

    The TTC recomputed from that HT may differ by a cent from what was typed when no HT amount
    gives it exactly; the price shows both, so the person sees it.
    """
    incl = parse_amount(text, "Le prix TTC")
    return Price(excl_tax=to_cents(incl / (1 + vat_rate)), vat_rate=vat_rate)
