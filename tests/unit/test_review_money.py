"""Review of issue 10: the 30 % cap of a self-funded bilan is a ceiling, so it rounds down to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.funding import Agreement, FundingType, Payment, add_payment, max_advance
from bilan_tui.domain.procedure.money import Price


def test_the_advance_cap_never_exceeds_30_percent_of_the_price():
    # 1 250,05 € HT -> 1 500,06 € TTC; 30 % is 450,018 €: 450,02 € (rounded half up) is more than the law allows.
    agreement = Agreement(funding=FundingType.SELF_FUNDED, price=Price(excl_tax=Decimal("1250.05")),
                          signed_on=dt.date(2027, 1, 4))
    assert agreement.price.incl_tax == Decimal("1500.06")
    assert max_advance(agreement) == Decimal("450.01")
    assert max_advance(agreement) <= agreement.price.incl_tax * Decimal("0.30")
    with pytest.raises(ProcedureError):
        add_payment(agreement, Payment(paid_on=dt.date(2027, 1, 20), amount=Decimal("450.02")),
                    dt.date(2027, 2, 1))


@pytest.mark.parametrize("cents", range(0, 2000, 7))
def test_the_cap_is_the_largest_cent_amount_within_30_percent(cents):
    price = Price(excl_tax=Decimal(1500) + Decimal(cents) / 100)
    cap = price.share(Decimal("0.30"))
    exact = price.incl_tax * Decimal("0.30")
    assert cap <= exact < cap + Decimal("0.01")
