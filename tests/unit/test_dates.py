"""Dates that cannot be true: an end before its start, a past fact dated in the future, an impossible birth."""

from __future__ import annotations

import datetime as dt

import pytest

from bilan_tui.domain.answers import age_on, birth_date_problems, date_problems, date_span
from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import DATE_TYPES, AnswerType
from bilan_tui.flows import FlowLoadError, JinjaExpressions, load_catalog, load_flow_text

NOW = dt.datetime(2026, 11, 26, 9, 30)
TODAY = NOW.date()
CATALOG = load_catalog()


def experience(debut: str, fin: str, intitule: str = "Aide-soignante") -> dict[str, str]:
    return {"intitule": intitule, "nature": "emploi", "debut": debut, "fin": fin}


def answer(flow_id: str, step_id: str, raw: object):
    engine = Engine(CATALOG.flows[flow_id], JinjaExpressions())
    state = engine.start()
    return state, engine.answer(state, step_id, raw, now=NOW, accept_warnings=True)


# -- the periods a stored date covers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "span"),
    [
        ("2015", (dt.date(2015, 1, 1), dt.date(2015, 12, 31))),
        ("2015-02", (dt.date(2015, 2, 1), dt.date(2015, 2, 28))),
        ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("2015-12", (dt.date(2015, 12, 1), dt.date(2015, 12, 31))),
        ("2015-03-12", (dt.date(2015, 3, 12), dt.date(2015, 3, 12))),
        ("n'importe quoi", None),
    ],
)
def test_a_stored_date_covers_a_day_a_month_or_a_year(stored, span):
    assert date_span(stored) == span


# -- an experience cannot end before it starts -------------------------------------------------


@pytest.mark.parametrize(("debut", "fin"), [("2015", "2012"), ("06/2015", "03/2015"), ("2016", "12/2015"),
                                             ("06/2015", "2014")])
def test_an_experience_ending_before_it_starts_is_refused_and_says_why(debut, fin):
    state, outcome = answer("parcours", "experiences", [experience("2010", ""), experience(debut, fin)])
    assert not outcome.recorded and outcome.state is state
    [message] = outcome.errors
    assert message.startswith("Élément 2 – Fin : ")
    assert "est avant « Début »" in message and "Vérifiez les deux dates" in message


@pytest.mark.parametrize(("debut", "fin"), [("2015", "2015"), ("2015", "03/2015"), ("06/2015", "2015"),
                                             ("06/2015", "06/2015"), ("2015", ""), ("", "2015"), ("2010", "2026")])
def test_an_experience_within_its_dates_or_with_one_date_is_accepted(debut, fin):
    _, outcome = answer("parcours", "experiences", [experience(debut, fin)])
    assert outcome.recorded, outcome.errors


def test_every_element_in_error_is_named():
    _, outcome = answer("parcours", "experiences", [experience("2015", "2012"), experience("2016", "2015", "Agent")])
    assert [e.split(" : ")[0] for e in outcome.errors] == ["Élément 1 – Fin", "Élément 2 – Fin"]


# -- a fact of the past is not dated in the future ------------------------------------------------


def market_fact(date: str) -> dict[str, str]:
    return {"nature": "besoins", "fait": "Forte demande d'aides-soignants", "source": "France Travail", "date": date}


def test_a_market_fact_dated_in_the_future_is_refused():
    _, outcome = answer("confrontation", "marche", [market_fact("27/11/2026")])
    [message] = outcome.errors
    assert message.startswith("Élément 1 – Date de la source : 27/11/2026 est dans le futur")
    assert "nous sommes le 26/11/2026" in message


@pytest.mark.parametrize("date", ["26/11/2026", "01/01/2020"])
def test_a_market_fact_dated_today_or_before_is_accepted(date):
    _, outcome = answer("confrontation", "marche", [market_fact(date)])
    assert outcome.recorded, outcome.errors


def test_a_job_search_cannot_have_started_in_the_future():
    _, outcome = answer("analyse_demande", "ad_recherche_depuis", "01/01/2027")
    assert outcome.errors and "est dans le futur" in outcome.errors[0]
    _, outcome = answer("analyse_demande", "ad_recherche_depuis", "01/03/2026")
    assert outcome.recorded


def test_a_year_or_a_month_that_has_begun_is_not_in_the_future():
    spec = CATALOG.flows["analyse_demande"].step("ad_recherche_depuis").answer
    assert spec is not None
    month = spec.model_copy(update={"type": AnswerType.MONTH})
    assert date_problems(month, "2026-11", TODAY) == []
    assert date_problems(month, "2026", TODAY) == []
    assert "12/2026 est dans le futur" in date_problems(month, "2026-12", TODAY)[0]
    assert "2027 est dans le futur" in date_problems(month, "2027", TODAY)[0]


# -- every flow: each date is either checked or known to be allowed in the future --------------

MAY_BE_FUTURE = {
    ("parcours", "experiences", "debut"),  # a training about to start
    ("confrontation", "enquete_contacts", "date"),  # a meeting planned
}


def test_every_date_of_every_flow_is_checked_or_known_to_be_free():
    """A new date in a flow must say whether it pairs with another, is a fact of the past or a deadline to come."""
    unchecked = []
    for flow in CATALOG.flows.values():
        for step in flow.steps:
            spec = step.answer
            if spec is None:
                continue
            if spec.type in DATE_TYPES and not (spec.not_future or spec.not_past):
                unchecked.append((flow.id, step.id, ""))
            for item_field in spec.fields:
                if item_field.type in DATE_TYPES and not (item_field.not_future or item_field.not_past or item_field.after):
                    unchecked.append((flow.id, step.id, item_field.id))
            dated = [f for f in spec.fields if f.type in DATE_TYPES]
            if len(dated) >= 2:  # a pair: the later one cannot precede the earlier one
                assert any(f.after for f in dated), (flow.id, step.id)
    assert set(unchecked) == MAY_BE_FUTURE


# -- the rules are checked when a flow is loaded --------------------------------------------------

HEAD = 'id: essai\ntitle: Essai\nflow_version: "1"\nphase: preliminaire\nsteps:\n'


def load(fields: str, extra: str = "") -> None:
    load_flow_text(HEAD + f"""
  - id: liste
    kind: repeat
    prompt: "Vos expériences ?"
    answer:
      type: list
      fields:
{fields}
{extra}""", "essai.yaml")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ('        - {id: debut, label: "Début", type: month}\n        - {id: fin, label: "Fin", type: month, after: debut_}',
         "« fin » suit « debut_ »"),
        ('        - {id: debut, label: "Début"}\n        - {id: fin, label: "Fin", type: month, after: debut}',
         "n'est pas un champ date ou mois"),
        ('        - {id: fin, label: "Fin", after: fin}', "vont avec un champ de type « date » ou « month »"),
        ('        - {id: fin, label: "Fin", type: date, after: fin}', "ne peut pas suivre lui-même"),
        ('        - {id: nom, label: "Nom", not_future: true}', "vont avec un champ de type « date » ou « month »"),
    ],
)
def test_a_date_rule_that_cannot_apply_is_refused_at_load(fields, expected):
    with pytest.raises(FlowLoadError) as caught:
        load(fields)
    assert expected in caught.value.summary()


def test_not_future_on_a_question_goes_with_a_date():
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + '  - id: q\n    prompt: "Quand ?"\n    answer: {type: text, not_future: true}\n',
                       "essai.yaml")
    assert "« not_future » et « not_past » vont avec une question de type « date » ou « month »" in caught.value.summary()


def test_not_past_goes_with_a_date_and_not_with_not_future():
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + '  - id: q\n    prompt: "Quand ?"\n    answer: {type: number, not_past: true}\n',
                       "essai.yaml")
    assert "« not_future » et « not_past » vont avec une question de type « date » ou « month »" in caught.value.summary()
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + '  - id: q\n    prompt: "Quand ?"\n    answer: {type: date, not_past: true, '
                       'not_future: true}\n', "essai.yaml")
    assert "ne laissent qu'aujourd'hui" in caught.value.summary()


def test_a_date_and_a_month_may_pair():
    load('        - {id: debut, label: "Début", type: date}\n        - {id: fin, label: "Fin", type: month, after: debut}')


# -- a date of birth that makes the person 3 or 130 -----------------------------------------------


def test_age_counts_full_years():
    assert age_on(dt.date(1982, 11, 26), TODAY) == 44
    assert age_on(dt.date(1982, 11, 27), TODAY) == 43


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (dt.date(2023, 5, 1), "le bénéficiaire aurait 3 ans"),
        (dt.date(1896, 5, 1), "le bénéficiaire aurait 130 ans"),
        (dt.date(2026, 12, 1), "est dans le futur"),
        (dt.date(2025, 12, 1), "aurait 0 an :"),
    ],
)
def test_an_impossible_date_of_birth_is_refused_and_says_why(birth, expected):
    checked = birth_date_problems(birth, TODAY)
    assert checked.errors and expected in checked.errors[0]
    assert "vérifiez l'année" in checked.errors[0].lower()


@pytest.mark.parametrize(("birth", "age"), [(dt.date(2011, 1, 1), "15 ans"), (dt.date(1946, 1, 1), "80 ans")])
def test_an_unusual_age_is_questioned(birth, age):
    checked = birth_date_problems(birth, TODAY)
    assert not checked.errors
    assert checked.warnings == (f"Né(e) le {birth.strftime('%d/%m/%Y')}, le bénéficiaire a {age} : "
                                "est-ce bien l'année de naissance ?",)


def test_a_usual_date_of_birth_passes():
    assert birth_date_problems(dt.date(1982, 4, 3), TODAY).errors == ()
    assert birth_date_problems(dt.date(1982, 4, 3), TODAY).warnings == ()
