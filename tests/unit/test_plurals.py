"""Real French plurals in every sentence a person reads: « 5 cartes », never « 5 carte(s) »."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from bilan_tui.domain.answers import AnswerError, parse_answer
from bilan_tui.domain.engine import Engine, Progress
from bilan_tui.domain.flow import AnswerSpec, ExpressionError
from bilan_tui.domain.plural import plural, word
from bilan_tui.flows import JinjaExpressions, load_catalog, load_flow_text
from tests.persona import NOW, run

SRC = Path(__file__).resolve().parents[2] / "src" / "bilan_tui"
HEDGED = re.compile(r"\w\((?:e)?s\)")
"""« carte(s) », « terminé(s) », « inconnu(e)s »: a plural left to the reader."""


@pytest.mark.parametrize(("count", "singular", "given", "expected"), [
    (0, "carte", None, "0 carte"),
    (1, "carte", None, "1 carte"),
    (2, "carte", None, "2 cartes"),
    (5, "choix", None, "5 choix"),
    (3, "niveau", None, "3 niveaux"),
    (2, "module terminé", "modules terminés", "2 modules terminés"),
    (1, "module terminé", "modules terminés", "1 module terminé"),
    (1.5, "heure", None, "1,5 heure"),
])
def test_plural_agrees_with_the_count(count, singular, given, expected):
    assert plural(count, singular, given) == expected


def test_a_phrase_needs_its_plural_given():
    assert word(4, "terminé") == "terminés"
    with pytest.raises(ValueError, match="plusieurs mots"):
        word(2, "réponse à revoir")


def _hedged_in_python(path: Path) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}  # f-strings split from 3.12
    docstring = ('"' * 3, "'" * 3)  # docstrings are for developers
    return [t.string for t in tokens if t.type in kinds and HEDGED.search(t.string)
            and not t.string.lstrip("rbfuRBFU").startswith(docstring)]


def test_no_sentence_of_the_app_leaves_a_plural_to_the_reader():
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if hits := _hedged_in_python(path):
            found[path.name] = hits
    for path in sorted(SRC.rglob("*.yaml")):
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith("#"))
        if hits := HEDGED.findall(text):
            found[path.name] = hits
    assert found == {}


def test_the_cards_prompt_says_la_carte_or_les_n_cartes():
    flow = load_catalog().flows["interets"]
    engine = Engine(flow, JinjaExpressions())
    step = flow.step("centres_pourquoi")
    pages = {s.id: {i.id: 2 for i in s.answer.items} for s in flow.steps if s.answer is not None and s.answer.items}
    for ranked, expected in ((["ci24"], "dans la carte en tête"), (["ci24", "ci14"], "dans les 2 cartes en tête")):
        state = run(engine, {**pages, "centres": ["ci24", "ci14", "ci04"], "centres_classement": ranked},
                    until="centres_pourquoi")
        assert expected in engine.prompt(step, state)
        assert "(s)" not in engine.prompt(step, state)


def test_the_pluriel_filter_is_offered_to_flows_and_bounded():
    expressions = JinjaExpressions()
    assert expressions.render("{{ n | pluriel('carte') }}", {"n": 1}) == "1 carte"
    assert expressions.render("{{ n | pluriel('travail', 'travaux') }}", {"n": 3}) == "3 travaux"
    for bad in ("{{ 'cinq' | pluriel('carte') }}", "{{ 2 | pluriel('une carte') }}",
                "{{ 2 | pluriel('" + "x" * 500 + "') }}"):
        with pytest.raises(ExpressionError):
            expressions.render(bad, {})
    flow = load_flow_text('id: essai\ntitle: Essai\nflow_version: "1"\nphase: investigation\nsteps:\n'
                          '  - {id: a, prompt: "?", answer: {type: multi, choices: [{value: x, label: X}]}}\n'
                          '  - {id: b, prompt: "Vos {{ a | length | pluriel(\'choix\') }} ?", answer: {type: text}}\n',
                          "essai.yaml")
    assert flow.step("b").prompt.startswith("Vos")


def test_counts_in_messages_agree():
    spec = AnswerSpec.model_validate({"type": "multi", "min_items": 2, "max_items": 2, "choices": [
        {"value": v, "label": v.upper()} for v in "abc"]})
    with pytest.raises(AnswerError, match=r"Il faut au moins 2 choix\."):
        parse_answer(spec, ["a"], required=True)
    one = AnswerSpec.model_validate({"type": "list", "min_items": 1, "max_items": 1, "fields": [{"id": "t", "label": "T"}]})
    with pytest.raises(AnswerError, match=r"Au plus 1 élément \(2 pour l'instant\)\."):
        parse_answer(one, [{"t": "x"}, {"t": "y"}], required=True)
    assert Progress(1, 1).label == "1/1 question traitée"
    assert Progress(0, 3).label == "0/3 questions traitées"


def test_a_grid_with_one_rating_missing_says_so_in_the_singular():
    flow = load_catalog().flows["interets"]
    engine = Engine(flow, JinjaExpressions())
    step = next(s for s in flow.steps if s.answer is not None and s.answer.items)
    ratings = {item.id: 2 for item in step.answer.items[1:]}
    outcome = engine.answer(engine.start(), step.id, ratings, now=NOW)
    assert outcome.warnings[0].startswith("1 élément sans note : « ")
    assert outcome.warnings[0].endswith("Sans lui, pas de score.")
