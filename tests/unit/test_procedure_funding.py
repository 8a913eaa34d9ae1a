"""Funding: deadlines per type (month ends, leap years, year ends, holidays), start rules, prices, payments,
the convention's content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bilan_tui.domain.models import Funding, WorkingTime
from bilan_tui.domain.procedure.convention import ConventionData, convention_view
from bilan_tui.domain.procedure.errors import ProcedureError
from bilan_tui.domain.procedure.funding import (
    Agreement,
    DeadlineKind,
    Employer,
    EmployerAnswer,
    FundingRules,
    FundingType,
    Payment,
    add_payment,
    balance,
    can_start,
    deadlines,
    earliest_start,
    earliest_start_with_reason,
    employee_answer_end,
    funding_type,
    payment_problems,
    period_problems,
    withdrawal_end,
)
from bilan_tui.domain.procedure.hours import HoursPlan
from bilan_tui.domain.procedure.money import (
    Price,
    format_euros,
    parse_amount,
    parse_rate,
    price_from_incl_tax,
    to_cents,
)
from bilan_tui.domain.procedure.workdays import (
    add_working_days,
    date_label,
    deadline_end,
    holiday_name,
    is_working_day,
)

D = dt.date
ACME = Employer(name="Acme SA")


def employer(sent_on: D | None = None, signed_on: D | None = None, **kw: object) -> Agreement:
    return Agreement(funding=FundingType.EMPLOYER, employer=ACME, sent_on=sent_on, signed_on=signed_on, **kw)


def self_funded(signed_on: D | None = None, **kw: object) -> Agreement:
    return Agreement(funding=FundingType.SELF_FUNDED, signed_on=signed_on, **kw)


# --- counting days -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end"), [
    (D(2027, 1, 18), D(2027, 1, 28)),   # plain: the day of the event not counted, ten days after
    (D(2027, 1, 21), D(2027, 2, 1)),    # 31/01/2027 is a Sunday: Monday 01/02
    (D(2027, 4, 20), D(2027, 4, 30)),   # month of 30 days, a Friday
    (D(2028, 2, 19), D(2028, 2, 29)),   # leap year: 29/02/2028 exists and is a Tuesday
    (D(2027, 2, 19), D(2027, 3, 1)),    # not a leap year: 01/03/2027 (a Monday)
    (D(2026, 12, 21), D(2026, 12, 31)),  # year end, a Thursday
    (D(2026, 12, 22), D(2027, 1, 4)),   # 01/01 holiday, then Saturday, Sunday: Monday 04/01/2027
    (D(2027, 5, 7), D(2027, 5, 18)),    # 17/05/2027 Lundi de Pentecôte: Tuesday
    (D(2027, 4, 29), D(2027, 5, 10)),   # 09/05/2027 Sunday, ten days over the 1st and 8th of May
    (D(2027, 11, 1), D(2027, 11, 12)),  # the tenth day is Thursday 11/11/2027 (Armistice): Friday 12/11
])
def test_ten_calendar_days_moved_past_weekends_and_holidays(start: D, end: D) -> None:
    assert deadline_end(start, 10) == end
    assert is_working_day(deadline_end(start, 10))


def test_without_extension_the_tenth_day_stays() -> None:
    assert deadline_end(D(2026, 12, 22), 10, extend=False) == D(2027, 1, 1)


def test_alsace_moselle_days() -> None:
    assert holiday_name(D(2027, 12, 26)) is None
    assert holiday_name(D(2027, 12, 26), alsace_moselle=True) == "Saint-Étienne"
    # 16/12/2027 + 10 = 26/12/2027, a Sunday anyway; Good Friday 26/03/2027 is a weekday:
    assert deadline_end(D(2027, 3, 16), 10) == D(2027, 3, 26)
    assert deadline_end(D(2027, 3, 16), 10, alsace_moselle=True) == D(2027, 3, 30)  # Fri holiday, weekend, Easter Monday


def test_working_days_skip_weekends_and_holidays() -> None:
    assert add_working_days(D(2026, 12, 18), 11) == D(2027, 1, 6)  # 25/12 and 01/01 skipped
    assert add_working_days(D(2027, 1, 4), 4) == D(2027, 1, 8)
    assert date_label(D(2028, 2, 29)) == "mardi 29/02/2028"


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2060, 12, 31)), st.integers(0, 40), st.booleans())
def test_a_period_never_ends_before_its_days_nor_on_a_rest_day(start: D, days: int, alsace: bool) -> None:
    end = deadline_end(start, days, alsace_moselle=alsace)
    assert end >= start + dt.timedelta(days=days)
    assert is_working_day(end, alsace_moselle=alsace)
    assert (end - (start + dt.timedelta(days=days))).days <= 4  # at most a long weekend with a holiday


# --- employer's plan ------------------------------------------------------------------------------------------

def test_employee_answer_deadline_shown() -> None:
    agreement = employer(sent_on=D(2028, 2, 19))
    [deadline] = deadlines(agreement)
    assert deadline.kind is DeadlineKind.EMPLOYEE_ANSWER
    assert deadline.due == D(2028, 2, 29)
    assert deadline.label == "Réponse du salarié attendue au plus tard le mardi 29/02/2028"
    assert "sans réponse" in deadline.basis and "R6313-8" in deadline.basis
    assert not deadline.is_past(D(2028, 2, 29)) and deadline.is_past(D(2028, 3, 1))


def test_employee_silence_means_refusal() -> None:
    agreement = employer(sent_on=D(2026, 12, 22))  # answer until Monday 04/01/2027
    pending = can_start(agreement, D(2027, 1, 11), today=D(2027, 1, 4))
    assert not pending.ok and "en attente" in pending.reason and "04/01/2027" in pending.reason
    refused = can_start(agreement, D(2027, 1, 11), today=D(2027, 1, 5))
    assert not refused.ok and "silence vaut refus" in refused.reason


def test_employee_signed_in_time_then_start_allowed() -> None:
    agreement = employer(sent_on=D(2026, 12, 22), signed_on=D(2027, 1, 4))
    assert can_start(agreement, D(2027, 1, 11), today=D(2027, 1, 5)).ok
    late = employer(sent_on=D(2026, 12, 22), signed_on=D(2027, 1, 5))
    assert "après la fin du délai de réponse" in can_start(late, D(2027, 1, 11), today=D(2027, 1, 6)).reason


def test_employer_funding_needs_its_employer() -> None:
    agreement = Agreement(funding=FundingType.EMPLOYER, sent_on=D(2027, 1, 4), signed_on=D(2027, 1, 5))
    check = can_start(agreement, D(2027, 1, 11), today=D(2027, 1, 6))
    assert check.reasons == ("Indiquez l'employeur (raison sociale) : le financement par l'employeur le demande.",)


def test_not_sent_not_started() -> None:
    assert can_start(employer(), D(2027, 1, 11), D(2027, 1, 4)).reason == \
        "Le projet de convention n'a pas été transmis au salarié."


def test_convention_signed_after_the_start_is_refused() -> None:
    agreement = employer(sent_on=D(2027, 1, 4), signed_on=D(2027, 1, 12))
    check = can_start(agreement, D(2027, 1, 11), today=D(2027, 1, 4))
    assert "Convention tripartite : signature datée du 12/01/2027, après la première séance (11/01/2027) ; la " \
        "signature doit précéder le début." in check.reasons


# --- self-funded ----------------------------------------------------------------------------------------------

def test_withdrawal_period_over_the_year_end() -> None:
    agreement = self_funded(signed_on=D(2026, 12, 22))
    assert withdrawal_end(agreement) == D(2027, 1, 4)
    kinds = {d.kind: d for d in deadlines(agreement)}
    assert kinds[DeadlineKind.WITHDRAWAL].label == "Délai de rétractation jusqu'au lundi 04/01/2027 inclus"
    assert kinds[DeadlineKind.FIRST_PAYMENT].due == D(2027, 1, 5)
    assert "540,00" in kinds[DeadlineKind.FIRST_PAYMENT].label


def test_no_start_during_withdrawal() -> None:
    agreement = self_funded(signed_on=D(2028, 2, 19))  # until Tuesday 29/02/2028
    running = can_start(agreement, D(2028, 2, 29), today=D(2028, 2, 20))
    assert not running.ok
    assert running.reason == ("Délai de rétractation en cours jusqu'au mardi 29/02/2028 inclus : première séance "
                              "possible à partir du mercredi 01/03/2028.")
    assert can_start(agreement, D(2028, 3, 1), today=D(2028, 2, 20)).ok


def test_first_possible_session_skips_a_holiday() -> None:
    agreement = self_funded(signed_on=D(2026, 12, 21))  # until Thursday 31/12, then 01/01 is a holiday
    assert "à partir du lundi 04/01/2027" in can_start(agreement, D(2026, 12, 31), D(2026, 12, 21)).reason


def test_unsigned_withdrawn_or_past() -> None:
    assert can_start(self_funded(), D(2027, 2, 1), D(2027, 1, 4)).reason == \
        "Le contrat n'est pas signé : le bilan ne peut pas commencer."
    withdrawn = self_funded(signed_on=D(2027, 1, 4), withdrawn_on=D(2027, 1, 6))
    assert "renoncé" in can_start(withdrawn, D(2027, 2, 1), D(2027, 1, 7)).reason
    past = can_start(self_funded(signed_on=D(2027, 1, 4)), D(2027, 2, 1), D(2027, 2, 2))
    assert "dans le passé" in past.reason


def test_payments_nothing_during_withdrawal_then_thirty_percent() -> None:
    agreement = self_funded(signed_on=D(2027, 1, 4))  # until Thursday 14/01/2027
    with pytest.raises(ProcedureError, match="pendant le délai de rétractation"):
        add_payment(agreement, Payment(paid_on=D(2027, 1, 14), amount=Decimal("100.00")), D(2027, 1, 20))
    paid = add_payment(agreement, Payment(paid_on=D(2027, 1, 15), amount=Decimal("540.00")), D(2027, 1, 20))
    with pytest.raises(ProcedureError, match="avant le début du bilan"):
        add_payment(paid, Payment(paid_on=D(2027, 1, 18), amount=Decimal("0.01")), D(2027, 1, 20))
    later = add_payment(paid, Payment(paid_on=D(2027, 1, 20), amount=Decimal("600.00")), D(2027, 1, 20))
    assert balance(later) == Decimal("660.00")
    with pytest.raises(ProcedureError, match="au-delà du prix"):
        add_payment(later, Payment(paid_on=D(2027, 2, 1), amount=Decimal("660.01")), D(2027, 1, 20))


def test_payment_rule_other_reading_caps_the_withdrawal_period() -> None:
    rules = FundingRules(no_payment_during_withdrawal=False)
    agreement = self_funded(signed_on=D(2027, 1, 4), payments=(Payment(paid_on=D(2027, 1, 5), amount=Decimal("540")),))
    assert payment_problems(agreement, D(2027, 1, 20), rules) == []
    assert deadlines(agreement, rules)[1].label == "Avant le début du bilan : au plus 540,00\u00a0€"
    over = agreement.model_copy(update={"payments": (Payment(paid_on=D(2027, 1, 5), amount=Decimal("540.01")),)})
    assert any("pendant le délai" in p for p in payment_problems(over, D(2027, 1, 20), rules))


def test_the_cap_follows_the_price_of_the_dossier() -> None:
    agreement = self_funded(signed_on=D(2027, 1, 4), price=Price(excl_tax=Decimal("1234.57")))
    # 1 234,57 HT -> TVA 246,91 (246,914) -> 1 481,48 TTC; 30 % = 444,444 -> 444,44
    assert agreement.price.incl_tax == Decimal("1481.48")
    assert "444,44" in deadlines(agreement)[1].label


# --- CPF, France Travail, OPCO -------------------------------------------------------------------------------

def test_cpf_outside_work_no_employer() -> None:
    agreement = Agreement(funding=FundingType.CPF, working_time=WorkingTime.OUTSIDE, sent_on=D(2026, 12, 18))
    kinds = {d.kind: d.due for d in deadlines(agreement)}
    assert kinds == {DeadlineKind.CPF_ACCEPTANCE: D(2026, 12, 24), DeadlineKind.CPF_EARLIEST_START: D(2027, 1, 6)}
    assert "pas encore validé la commande sur Mon Compte Formation (au plus tard le jeudi 24/12/2026)" in \
        can_start(agreement, D(2027, 1, 6), D(2026, 12, 24)).reason
    assert "envoyez-en une nouvelle" in can_start(agreement, D(2027, 1, 6), D(2026, 12, 28)).reason
    accepted = agreement.model_copy(update={"signed_on": D(2026, 12, 21)})
    assert can_start(accepted, D(2027, 1, 6), D(2026, 12, 21)).ok
    assert "au plus tôt le mercredi 06/01/2027" in can_start(accepted, D(2027, 1, 5), D(2026, 12, 21)).reason
    with_employer = accepted.model_copy(update={"employer": ACME})
    assert "sans l'employeur" in can_start(with_employer, D(2027, 1, 6), D(2026, 12, 21)).reason


def test_cpf_during_work_employer_silence_means_agreement() -> None:
    agreement = Agreement(funding=FundingType.CPF, working_time=WorkingTime.DURING, employer=ACME,
                          sent_on=D(2027, 1, 4), signed_on=D(2027, 1, 5), employer_request_on=D(2027, 1, 29))
    kinds = {d.kind: d.due for d in deadlines(agreement)}
    assert kinds[DeadlineKind.EMPLOYER_ANSWER] == D(2027, 3, 1)  # 28/02/2027 is a Sunday
    assert kinds[DeadlineKind.EMPLOYER_NOTICE] == D(2027, 3, 30)
    assert "en attente" in can_start(agreement, D(2027, 3, 30), D(2027, 3, 1)).reason
    assert can_start(agreement, D(2027, 3, 30), D(2027, 3, 2)).ok  # silence: agreement
    assert "au plus tôt" in can_start(agreement, D(2027, 3, 29), D(2027, 3, 2)).reason
    refused = agreement.model_copy(update={"employer_answer": EmployerAnswer.REFUSED})
    assert "a refusé" in can_start(refused, D(2027, 3, 30), D(2027, 3, 2)).reason
    no_employer = agreement.model_copy(update={"employer": None})
    assert "Indiquez l'employeur" in can_start(no_employer, D(2027, 3, 30), D(2027, 3, 2)).reason


@pytest.mark.parametrize("kind", [FundingType.FRANCE_TRAVAIL, FundingType.OPCO])
def test_funder_agreement_needed(kind: FundingType) -> None:
    agreement = Agreement(funding=kind, funder="Atlas", signed_on=D(2027, 1, 4))
    assert deadlines(agreement) == []
    assert "accord de prise en charge" in can_start(agreement, D(2027, 1, 11), D(2027, 1, 5)).reason
    assert can_start(agreement.model_copy(update={"funder_agreed_on": D(2027, 1, 5)}), D(2027, 1, 11),
                     D(2027, 1, 5)).ok
    late = agreement.model_copy(update={"funder_agreed_on": D(2027, 1, 12)})
    assert "doit la précéder" in can_start(late, D(2027, 1, 11), D(2027, 1, 12)).reasons[-1]
    nameless = agreement.model_copy(update={"funder": "", "funder_agreed_on": D(2027, 1, 5)})
    assert "Indiquez" in can_start(nameless, D(2027, 1, 11), D(2027, 1, 5)).reason


def test_dates_in_the_future_are_refused() -> None:
    agreement = self_funded(signed_on=D(2027, 1, 20))
    assert "dans le futur" in can_start(agreement, D(2027, 2, 15), D(2027, 1, 10)).reason


def test_funding_type_of_the_beneficiary() -> None:
    assert funding_type(Funding.PERSONAL) is FundingType.SELF_FUNDED
    assert funding_type(Funding.OTHER) is None
    assert employee_answer_end(self_funded(signed_on=D(2027, 1, 4))) is None


# --- prices ---------------------------------------------------------------------------------------------------

def test_default_price() -> None:
    price = Price()
    assert (price.excl_tax, price.vat, price.incl_tax) == (Decimal("1500.00"), Decimal("300.00"), Decimal("1800.00"))
    assert price.label == "1\u202f500,00\u00a0€ HT, soit 1\u202f800,00\u00a0€ TTC (TVA 20\u00a0%)"
    assert Price(vat_rate=Decimal(0)).label == "1\u202f500,00\u00a0€ (TVA non applicable)"


@pytest.mark.parametrize(("text", "amount"), [
    ("1 500,00 €", "1500.00"), ("1500.5", "1500.50"), ("1\u202f500,5\u00a0€", "1500.50"), ("1.500,50", "1500.50"),
    ("1800 EUR", "1800.00"), ("0", "0.00"), ("12,3", "12.30"), ("１５００", "1500.00"), ("999 999,99 euros", "999999.99"),
])
def test_amounts_typed_in_french(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "words"), [
    ("-1500", "négatif"), ("abc", "n'est pas un montant"), ("", "indiquez un montant"), ("1.500", "ambigu"),
    ("1,005", "au centime près"), ("2 000 000", "million"), ("1,2,3", "n'est pas un montant"), ("NaN", "pas un montant"),
    ("1e5", "pas un montant"), ("Infinity", "pas un montant"),
])
def test_bad_amounts_refused_in_french(text: str, words: str) -> None:
    with pytest.raises(ProcedureError, match=words) as caught:
        parse_amount(text)
    assert caught.value.field == "price"


def test_rounding_half_up_to_the_cent() -> None:
    # ties go up, not to the even cent (banker's rounding would give 0,12 and 300,04)
    assert to_cents(Decimal("0.125")) == Decimal("0.13") and to_cents(Decimal("2.675")) == Decimal("2.68")
    # a share is a cap (« au plus 30 % »): rounded down, 300,045 € allows 300,04 €, not 300,05 € (review)
    assert Price(excl_tax=Decimal("1000.15"), vat_rate=Decimal(0)).share(Decimal("0.30")) == Decimal("300.04")
    price = Price(excl_tax=Decimal("0.63"), vat_rate=Decimal("0.20"))  # VAT 0,126 -> 0,13
    assert price.vat == Decimal("0.13") and price.incl_tax == Decimal("0.76")
    assert price_from_incl_tax("1 800 €").excl_tax == Decimal("1500.00")
    assert format_euros(Decimal("1234567.891")) == "1\u202f234\u202f567,89\u00a0€"
    assert parse_rate("5,5 %") == Decimal("0.055")
    with pytest.raises(ProcedureError):
        parse_rate("120")


@given(st.decimals(min_value=0, max_value=100000, places=2))
def test_prices_are_exact_decimals(excl: Decimal) -> None:
    price = Price(excl_tax=excl)
    assert price.incl_tax == price.excl_tax + price.vat
    assert price.incl_tax.as_tuple().exponent == -2
    assert parse_amount(format_euros(excl)) == excl


# --- the convention -------------------------------------------------------------------------------------------

def test_convention_carries_what_the_law_lists() -> None:
    data = ConventionData(provider="Cabinet Horizon", consultant="Paul Durand", beneficiary="Léa Martin",
                          period_start=D(2027, 1, 11), period_end=D(2027, 3, 1), place="Lyon")
    view = convention_view(data, employer(sent_on=D(2027, 1, 4)), HoursPlan())
    keys = [section.key for section in view.sections]
    assert keys == ["intitule", "objectif", "contenu", "moyens", "duree", "deroulement", "remise", "prix",
                    "confidentialite", "acceptation"]
    assert view.missing == ()
    assert view.heading.startswith("Convention tripartite")
    assert view.parties[0] == "L'employeur : Acme SA"
    assert "24 h" in view.section("duree").text and "du 11/01/2027 au 01/03/2027" in view.section("duree").text
    assert "Investigation (12 h)" in view.section("contenu").text
    assert "1\u202f800,00\u00a0€ TTC" in view.section("prix").text
    assert "propriétaire exclusif" in view.section("confidentialite").text
    assert "vaut refus" in view.section("acceptation").text
    assert "Paul Durand" in view.section("moyens").text


def test_self_funded_convention_and_missing_parts() -> None:
    view = convention_view(ConventionData(), self_funded(), HoursPlan(conclusion=300))
    assert view.sections[-1].key == "retractation"
    assert "540,00" in view.section("prix").text
    assert "Conclusion (5 h)" in view.section("contenu").text
    assert "Indiquez l'organisme prestataire." in view.missing
    assert any("période" in m for m in view.missing)


def test_agreement_round_trips_as_json() -> None:
    agreement = self_funded(signed_on=D(2027, 1, 4), price=Price(excl_tax=Decimal("1234.50")),
                            payments=(Payment(paid_on=D(2027, 1, 15), amount=Decimal("100.10")),))
    assert Agreement.model_validate_json(agreement.model_dump_json()) == agreement


@given(st.dates(min_value=D(2026, 1, 1), max_value=D(2032, 12, 31)), st.booleans())
def test_self_funded_start_is_the_day_after_the_withdrawal_period(signed: D, alsace: bool) -> None:
    agreement = self_funded(signed_on=signed, alsace_moselle=alsace)
    end = withdrawal_end(agreement)
    assert end is not None and end >= signed + dt.timedelta(days=10)
    assert is_working_day(end, alsace_moselle=alsace)
    assert not can_start(agreement, end, today=signed).ok
    assert can_start(agreement, end + dt.timedelta(days=1), today=signed).ok


@given(st.dates(min_value=D(2026, 1, 1), max_value=D(2032, 12, 31)), st.integers(0, 20))
def test_employee_answer_pending_then_refused(sent: D, waited: int) -> None:
    agreement = employer(sent_on=sent)
    end = employee_answer_end(agreement)
    assert end is not None
    today = sent + dt.timedelta(days=waited)
    reason = can_start(agreement, today + dt.timedelta(days=30), today).reason
    assert ("silence vaut refus" in reason) == (today > end)
    signed = employer(sent_on=sent, signed_on=min(today, end))
    assert can_start(signed, today + dt.timedelta(days=30), today).ok


# --- the agreement's own Alsace-Moselle flag, leap years and month ends per funding type -------------------

@pytest.mark.parametrize(("alsace", "end"), [(False, D(2027, 3, 26)), (True, D(2027, 3, 30))])
def test_employee_answer_over_good_friday_in_alsace_moselle(alsace: bool, end: D) -> None:
    # 16/03/2027 + 10 = Friday 26/03/2027, Vendredi saint: a holiday in Alsace-Moselle only; then the
    # weekend and Easter Monday.
    [deadline] = deadlines(employer(sent_on=D(2027, 3, 16), alsace_moselle=alsace))
    assert deadline.due == end


@pytest.mark.parametrize(("alsace", "end", "first"), [(False, D(2025, 12, 26), "lundi 29/12/2025"),
                                                      (True, D(2025, 12, 29), "mardi 30/12/2025")])
def test_withdrawal_over_saint_etienne(alsace: bool, end: D, first: str) -> None:
    # 16/12/2025 + 10 = Friday 26/12/2025, Saint-Étienne: a holiday in Alsace-Moselle only.
    agreement = self_funded(signed_on=D(2025, 12, 16), alsace_moselle=alsace)
    assert withdrawal_end(agreement) == end
    assert f"à partir du {first}" in can_start(agreement, end, D(2025, 12, 17)).reason


@pytest.mark.parametrize(("alsace", "accept", "start"), [(False, D(2025, 12, 29), D(2026, 1, 8)),
                                                         (True, D(2025, 12, 30), D(2026, 1, 9))])
def test_cpf_working_days_over_christmas_and_saint_etienne(alsace: bool, accept: D, start: D) -> None:
    agreement = Agreement(funding=FundingType.CPF, sent_on=D(2025, 12, 22), alsace_moselle=alsace)
    kinds = {d.kind: d.due for d in deadlines(agreement)}
    assert kinds == {DeadlineKind.CPF_ACCEPTANCE: accept, DeadlineKind.CPF_EARLIEST_START: start}


def test_cpf_working_days_over_a_leap_day() -> None:
    agreement = Agreement(funding=FundingType.CPF, sent_on=D(2028, 2, 24))  # a Thursday
    kinds = {d.kind: d.due for d in deadlines(agreement)}
    # 4 working days: Fri 25, Mon 28, Tue 29/02, Wed 01/03; 11: up to Friday 10/03/2028
    assert kinds == {DeadlineKind.CPF_ACCEPTANCE: D(2028, 3, 1), DeadlineKind.CPF_EARLIEST_START: D(2028, 3, 10)}


def test_cpf_during_work_notice_lands_on_a_leap_day() -> None:
    agreement = Agreement(funding=FundingType.CPF, working_time=WorkingTime.DURING, employer=ACME,
                          sent_on=D(2027, 12, 1), signed_on=D(2027, 12, 2), employer_request_on=D(2027, 12, 31))
    kinds = {d.kind: d.due for d in deadlines(agreement)}
    assert kinds[DeadlineKind.EMPLOYER_ANSWER] == D(2028, 1, 31)  # 30/01/2028 is a Sunday
    assert kinds[DeadlineKind.EMPLOYER_NOTICE] == D(2028, 2, 29)  # 60 calendar days, a leap year
    assert "au plus tôt" in can_start(agreement, D(2028, 2, 28), D(2028, 2, 1)).reason
    assert can_start(agreement, D(2028, 2, 29), D(2028, 2, 1)).ok  # no answer by 31/01: agreement


# -- the first day the agreement allows, and the convention's period --------------------------------------


def test_earliest_start_of_a_self_funded_bilan_is_the_day_after_the_withdrawal_period() -> None:
    # The trial: signed Saturday 28/11/2026, withdrawal until Tuesday 08/12 included, first session Wednesday 09/12.
    agreement = Agreement(funding=FundingType.SELF_FUNDED, signed_on=dt.date(2026, 11, 28))
    assert earliest_start(agreement) == dt.date(2026, 12, 9)
    found = earliest_start_with_reason(agreement)
    assert found is not None and "rétractation" in found.reason and "08/12/2026" in found.reason
    today = dt.date(2026, 11, 28)
    assert can_start(agreement, dt.date(2026, 12, 9), today).ok
    assert not can_start(agreement, dt.date(2026, 12, 8), today).ok
    assert not can_start(agreement, dt.date(2026, 12, 4), today).ok


def test_earliest_start_of_an_unsigned_contract_counts_a_signature_today() -> None:
    agreement = Agreement(funding=FundingType.SELF_FUNDED)
    assert earliest_start(agreement) is None
    assert earliest_start(agreement, today=dt.date(2026, 11, 26)) == dt.date(2026, 12, 8)
    found = earliest_start_with_reason(agreement, today=dt.date(2026, 11, 26))
    assert found is not None and "pas encore signé" in found.reason


def test_earliest_start_of_cpf_and_employer_and_funders() -> None:
    cpf = Agreement(funding=FundingType.CPF, sent_on=dt.date(2026, 11, 2), signed_on=dt.date(2026, 11, 3))
    assert earliest_start(cpf) == dt.date(2026, 11, 18)  # 11 working days, 11/11 a holiday
    during = cpf.model_copy(update={"working_time": WorkingTime.DURING, "employer": Employer(name="ACME"),
                                    "employer_request_on": dt.date(2026, 11, 2)})
    assert earliest_start(during) == dt.date(2027, 1, 1)
    employer = Agreement(funding=FundingType.EMPLOYER, employer=Employer(name="ACME"), sent_on=dt.date(2026, 11, 2),
                         signed_on=dt.date(2026, 11, 5))
    assert earliest_start(employer) == dt.date(2026, 11, 5)
    assert earliest_start(employer.model_copy(update={"signed_on": None})) is None
    opco = Agreement(funding=FundingType.OPCO, funder="Akto", signed_on=dt.date(2026, 11, 5),
                     funder_agreed_on=dt.date(2026, 11, 10))
    found = earliest_start_with_reason(opco)
    assert found is not None and found.day == dt.date(2026, 11, 10) and "prise en charge" in found.reason


@given(signed=st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
       funding=st.sampled_from([FundingType.SELF_FUNDED, FundingType.EMPLOYER, FundingType.OPCO, FundingType.CPF]),
       agreed_after=st.integers(0, 40))
def test_earliest_start_agrees_with_can_start(signed: dt.date, funding: FundingType, agreed_after: int) -> None:
    agreement = Agreement(funding=funding, sent_on=signed, signed_on=signed,
                          employer=Employer(name="ACME") if funding is FundingType.EMPLOYER else None,
                          funder="Akto" if funding is FundingType.OPCO else "",
                          funder_agreed_on=signed + dt.timedelta(days=agreed_after)
                          if funding is FundingType.OPCO else None)
    first = earliest_start(agreement)
    assert first is not None
    today = max(signed, agreement.funder_agreed_on or signed)
    assert can_start(agreement, max(first, today), today).ok
    if first > today:
        assert not can_start(agreement, first - dt.timedelta(days=1), today).ok


def test_period_problems_say_what_is_allowed() -> None:
    agreement = Agreement(funding=FundingType.SELF_FUNDED, signed_on=dt.date(2026, 11, 28))
    inside = period_problems(agreement, dt.date(2026, 12, 1), dt.date(2027, 3, 1))
    assert len(inside) == 1 and "rétractation" in inside[0] and "09/12/2026" in inside[0]
    assert period_problems(agreement, dt.date(2026, 12, 9), dt.date(2027, 3, 1)) == []
    employer = Agreement(funding=FundingType.EMPLOYER, employer=Employer(name="ACME"), sent_on=dt.date(2026, 11, 2),
                         signed_on=dt.date(2026, 11, 5))
    before = period_problems(employer, dt.date(2026, 11, 4), None)
    assert len(before) == 1 and "05/11/2026" in before[0]
    held = [dt.date(2026, 11, 6), dt.date(2027, 2, 10)]
    outside = period_problems(employer, dt.date(2026, 11, 9), dt.date(2027, 2, 1), held)
    assert len(outside) == 2
    assert "06/11/2026" in outside[0] and "avant le début" in outside[0]
    assert "10/02/2027" in outside[1] and "après la fin" in outside[1]
    assert period_problems(employer, dt.date(2026, 11, 6), dt.date(2027, 2, 10), held) == []
    assert "précède" in period_problems(employer, dt.date(2026, 12, 1), dt.date(2026, 11, 30))[0]
