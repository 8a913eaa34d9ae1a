"""Hostile flow files: each one is refused (or made harmless) quickly, with a French message, and the
built-in flows still load. Then the sandbox at run time: every costly or forbidden operation is an
:class:`ExpressionError`, never minutes of work or gigabytes of memory.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bilan_tui.domain.engine import Engine
from bilan_tui.domain.flow import ExpressionError, MissingValueError
from bilan_tui.domain.text import has_control
from bilan_tui.flows import FlowLoadError, load_catalog, load_flow_text
from bilan_tui.flows import loader as loader_module
from tests.conftest import FIXED_NOW

BUILTIN = {"analyse_demande", "competences", "confrontation", "interets", "parcours", "personnalite", "pistes",
           "realisations", "valeurs"}
HEAD = 'id: hostile\ntitle: Hostile\nflow_version: "1.0.0"\nphase: preliminaire\nsteps:\n'
GUARD_SECONDS = 5  # "refused within a second", with room for a loaded test machine


def step(extra: str = "", prompt: str = "A ?") -> str:
    return f'  - {{id: a, prompt: "{prompt}", answer: {{type: text}}{extra}}}\n'


def _steps(count: int) -> str:
    return "".join(f'  - {{id: s{i}, prompt: "Q{i} ?", answer: {{type: text}}}}\n' for i in range(count))


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\nid: bombe\ntitle: *a9\n"


HOSTILE: dict[str, tuple[str | bytes, str]] = {
    # Costly expressions, refused when the flow loads.
    "power_in_show_if": (HEAD + step(', show_if: "10 ** (10 ** 9) > 0"'), "puissance trop grande"),
    "power_in_prompt": (HEAD + step(prompt="{{ 10 ** 100000 }}"), "puissance trop grande"),
    "string_times_huge": (HEAD + step(", show_if: \"('a' * 10**9) == ''\""), "résultat trop grand"),
    "list_times_huge": (HEAD + step(', show_if: "([1] * 10**9) | length > 0"'), "résultat trop grand"),
    "concatenation_huge": (HEAD + step(prompt="{{ ('a' * 100000) + ('b' * 100001) }}"), "résultat trop grand"),
    "loop_in_prompt": (HEAD + step(prompt="{% for i in range(10**9) %}x{% endfor %}"),
                       "instruction {% … %} non permise"),
    "set_in_prompt": (HEAD + step(prompt="{% set x = 1 %}{{ x }}"), "instruction {% … %} non permise"),
    "macro_in_prompt": (HEAD + step(prompt="{% macro m() %}x{% endmacro %}{{ m() }}"),
                        "instruction {% … %} non permise"),
    "huge_range": (HEAD + step(prompt="{{ range(10**9) | list | length }}"), "range() trop grand"),
    "center_filter": (HEAD + step(prompt="{{ 'a' | center(1000000000) }}"), "résultat du filtre « center » trop grand"),
    "round_filter": (HEAD + step(prompt="{{ 5 | round(-1000000000) }}"), "résultat du filtre « round » trop grand"),
    "format_filter": (HEAD + step(prompt="{{ '%999999999d' | format(1) }}"), "filtre inconnu ou non permis « format »"),
    "printf_operator": (HEAD + step(prompt="{{ '%0999999999d' % 1 }}"), "« texte % valeurs » n'est pas permise"),
    "dunder": (HEAD + step(prompt="{{ ''.__class__.__mro__ }}"), "accès interdit à « __"),
    "dunder_by_item": (HEAD + step(prompt="{{ ''['__class__'] }}"), "accès interdit à « __class__ »"),
    "private_attribute": (HEAD + step(', show_if: "a._secret"'), "accès interdit à « _secret »"),
    "many_concatenations": (HEAD + step(prompt="{{ " + " ~ ".join(["a"] * 150) + " }}"),
                            "trop de textes joints par ~"),
    "lipsum_global": (HEAD + step(prompt="{{ lipsum(n=100000) }}"), "variable inconnue lipsum"),
    "deep_expression": (HEAD + step(', show_if: "' + "(" * 400 + "1" + ")" * 400 + '"'),
                        "structure trop profonde"),
    "long_expression": (HEAD + step(', show_if: "' + " * ".join(["a"] * 400) + '"'),
                        "expression trop longue ou trop imbriquée"),
    "instance_label_loop": (HEAD.replace("steps:", "repeatable: true\ninstance_label: '{% for i in range(9) %}x{% endfor %}'"
                                         "\nsteps:") + step(), "instance_label : expression refusée : instruction"),
    # Files that are not flows, or not text.
    "deep_yaml": (HEAD + "  - " + "[" * 20_000 + "]" * 20_000 + "\n", "structure trop profonde"),
    "huge_file": (HEAD + "# " + "x" * 1_100_000 + "\n" + step(), "fichier trop volumineux"),
    "billion_laughs": (_billion_laughs(), "alias YAML développés"),
    "recursive_alias": ("id: &a [*a]\n", "se contient lui-même"),
    "too_many_steps": (HEAD + _steps(2_500), "trop d'étapes"),
    "not_utf8": ("title: Évaluation\n".encode("latin-1"), "pas un texte UTF-8"),
    "binary_garbage": (bytes(range(256)) * 8, "pas un texte UTF-8"),
    "control_garbage": (bytes(range(32)) * 8, "YAML illisible"),
    "a_list": ("- id: a\n- id: b\n", "le fichier doit décrire un parcours"),
    "empty": ("", "le fichier doit décrire un parcours"),
    # Patterns: compiled at load.
    "invalid_regex": (HEAD + '  - {id: a, kind: repeat, prompt: "A ?", answer: {type: list, fields: '
                             '[{id: code, label: Code, pattern: "(a"}]}}\n',
                      "étape « a » : answer.fields.0.pattern : expression régulière invalide"),
    "backreference_regex": (HEAD + '  - {id: a, kind: repeat, prompt: "A ?", answer: {type: list, fields: '
                                   '[{id: code, label: Code, pattern: "(a)\\\\1"}]}}\n',
                            "expression régulière invalide ou non prise en charge"),
}


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_flow_file_is_refused_quickly_in_french_and_the_others_load(tmp_path: Path, name: str):
    content, expected = HOSTILE[name]
    _write(tmp_path / "flows", name, content)
    started = time.perf_counter()
    catalog = load_catalog([tmp_path / "flows"])
    elapsed = time.perf_counter() - started
    assert elapsed < GUARD_SECONDS
    assert BUILTIN <= set(catalog.flows)
    assert "hostile" not in catalog.flows
    [refused] = catalog.refused
    summary = refused.summary()
    assert summary.startswith(f"Parcours refusé ({name}.yaml) :")
    assert expected in summary
    assert not has_control(summary, multiline=True)


def test_a_flow_of_1500_steps_loads(tmp_path: Path):
    # The recursive walk of the graph ended in a RecursionError that escaped the loader.
    flow = load_flow_text(HEAD + _steps(1_500), "long.yaml")
    assert len(flow.steps) == 1_500


def test_a_long_loop_is_reported_without_recursion():
    text = HEAD + _steps(1_500) + '  - {id: fin_boucle, prompt: "?", answer: {type: text}, next: [{if: "s0", goto: s0}]}\n'
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(text, "boucle.yaml")
    assert "boucle sans fin : s0 → s1 → s2" in caught.value.summary()


def test_any_unexpected_failure_refuses_that_file_only(tmp_path: Path, monkeypatch):
    original = loader_module.check_flow

    def broken_for_one(flow):
        if flow.id == "hostile":
            raise TypeError("a defect of ours")
        return original(flow)

    monkeypatch.setattr(loader_module, "check_flow", broken_for_one)
    _write(tmp_path / "flows", "perso", HEAD + step())
    catalog = load_catalog([tmp_path / "flows"])
    assert BUILTIN <= set(catalog.flows)
    assert [e.summary() for e in catalog.refused] == [
        "Parcours refusé (perso.yaml) :\n  - fichier inutilisable (erreur inattendue TypeError)"
    ]


def test_a_memory_error_refuses_the_file_and_ctrl_c_still_stops(monkeypatch):
    def exhausted(flow):
        raise MemoryError

    monkeypatch.setattr(loader_module, "check_flow", exhausted)
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + step(), "gros.yaml")
    assert "mémoire insuffisante" in caught.value.summary()

    def interrupted(flow):
        raise KeyboardInterrupt

    monkeypatch.setattr(loader_module, "check_flow", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_flow_text(HEAD + step(), "stop.yaml")


def test_a_folder_or_a_fifo_named_like_a_flow_is_refused_without_blocking(tmp_path: Path):
    folder = tmp_path / "flows"
    (folder / "dossier.yaml").mkdir(parents=True)
    os.mkfifo(folder / "tube.yaml")
    catalog = load_catalog([folder])
    assert BUILTIN <= set(catalog.flows)
    summaries = sorted(e.summary() for e in catalog.refused)
    assert summaries == [
        "Parcours refusé (dossier.yaml) :\n  - ce n'est pas un fichier ordinaire",
        "Parcours refusé (tube.yaml) :\n  - ce n'est pas un fichier ordinaire",
    ]


def test_a_file_name_with_escape_sequences_is_shown_without_them(tmp_path: Path):
    _write(tmp_path / "flows", "\x1b[2Jpiege", "- liste\n")
    [refused] = load_catalog([tmp_path / "flows"]).refused
    assert refused.summary().startswith("Parcours refusé ([2Jpiege.yaml) :")


# -- control characters: removed, the rest kept -------------------------------------------------------


def test_escape_sequences_in_a_flow_are_removed_at_load(tmp_path: Path):
    text = (
        'id: echappe\ntitle: "\\e]0;titre\\aMon \\e[2Jparcours"\nflow_version: "1.0.0"\nphase: preliminaire\n'
        'description: "Ligne 1\\nLigne 2\\e[5m"\nsteps:\n'
        '  - {id: a, prompt: "Bonjour\\e[31m\\u009b !\\nSuite", help: "\\x1b[2J aide", consultant_note: "\\x07note",'
        ' answer: {type: single, choices: [{value: "x\\e", label: "\\e[1mOui"}, {value: n, label: Non}]}}\n'
        '  - {id: b, kind: repeat, prompt: "Liste", answer: {type: list, fields: [{id: c, label: "\\e[4mCode",'
        ' pattern: "[a-z]+", pattern_message: "\\e[2Jminuscules"}]}}\n'
        "  - {id: c, prompt: \"Raw \x1b[2J here\", answer: {type: text}}\n"
    )
    _write(tmp_path / "flows", "echappe", text)
    catalog = load_catalog([tmp_path / "flows"])
    assert catalog.refused == []
    flow = catalog.flows["echappe"]
    assert flow.title == "]0;titreMon [2Jparcours"
    assert flow.description == "Ligne 1\nLigne 2[5m"
    first = flow.step("a")
    assert first.prompt == "Bonjour[31m !\nSuite"
    assert first.help == "[2J aide"
    assert first.consultant_note == "note"
    assert first.answer is not None
    assert [(c.value, c.label) for c in first.answer.choices] == [("x", "[1mOui"), ("n", "Non")]
    field = flow.step("b").answer.fields[0]
    assert (field.label, field.pattern_message) == ("[4mCode", "[2Jminuscules")
    assert flow.step("c").prompt == "Raw [2J here"
    assert not has_control(json.dumps(flow.model_dump(mode="json"), ensure_ascii=False), multiline=True)


def test_a_rendered_prompt_never_carries_control_characters(expressions):
    # Jinja2 string literals know escapes: '\x1b' in an expression is an ESC character.
    assert expressions.render("{{ '\\x1b]0;x\\x07' }}A{{ nom }}", {"nom": "\x1b[2JB"}) == "]0;xA[2JB"


# -- patterns: linear time -------------------------------------------------------------------------------


def test_a_catastrophic_pattern_is_matched_in_linear_time(expressions):
    flow = load_flow_text(HEAD + '  - {id: a, kind: repeat, prompt: "A ?", answer: {type: list, fields: '
                                 '[{id: code, label: Code, pattern: "(a+)+$", pattern_message: "que des a"}]}}\n',
                          "lent.yaml")
    engine = Engine(flow, expressions)
    started = time.perf_counter()
    # 400 characters: under the length limit of a field, far beyond what backtracking survives.
    outcome = engine.answer(engine.start(), "a", [{"code": "a" * 400 + "!"}], now=FIXED_NOW)
    assert time.perf_counter() - started < GUARD_SECONDS
    assert len(outcome.errors) == 1
    assert outcome.errors[0].startswith("Élément 1 – Code : « aaaa") and outcome.errors[0].endswith(" : que des a.")
    assert engine.answer(engine.start(), "a", [{"code": "aaa"}], now=FIXED_NOW).recorded


def test_a_pattern_reads_letters_and_digits_of_every_script_as_python_does(expressions):
    flow = load_flow_text(HEAD + '  - {id: a, kind: repeat, prompt: "A ?", answer: {type: list, fields: '
                                 '[{id: nom, label: Nom, pattern: "[\\\\w -]+"}, {id: n, label: N, pattern: "\\\\w+"}]}}\n',
                          "motif.yaml")
    engine = Engine(flow, expressions)
    assert engine.answer(engine.start(), "a", [{"nom": "Hélène Lefèvre-Dupré", "n": "Zoë"}], now=FIXED_NOW).recorded


# -- the sandbox at run time -------------------------------------------------------------------------------

COSTLY = [
    ("v ** v", "puissance trop grande"),
    ("2 ** (v * 10)", "puissance trop grande"),
    ("t * v", "résultat trop grand"),
    ("[t] * v", "résultat trop grand"),
    ("w * w", "nombre trop grand"),
    ("w + w * w", "nombre trop grand"),
    ("(w | string) | int * w", "nombre trop grand"),
    ("range(v) | list", "range() trop grand"),
    ("t | center(v)", "résultat du filtre « center » trop grand"),
    ("t | indent(v)", "résultat du filtre « indent » trop grand"),
    ("t | replace('', t * 50)", "résultat du filtre « replace » trop grand"),
    ("t.replace('', t * 50)", "résultat trop grand"),
    ("(t * 50) | join(t * 50)", "trop grand"),
    ("range(9000) | map('string') | join(t * 25)", "résultat du filtre « join » trop grand"),
    ("(t * 25).join(range(9000) | map('string'))", "résultat trop grand"),
    ("[1] | batch(v, 0) | list", "résultat du filtre « batch » trop grand"),
    ("[1] | slice(v) | list", "résultat du filtre « slice » trop grand"),
    ("[[1] * 1000] * 1000 | sum(start=[])", "sum() additionne des nombres seulement"),
    ("'{:>999999999}'.format(1)", "la méthode « format » n'est pas permise"),
    ("t.ljust(v)", "opération non permise"),
    ("t % v", "« texte % valeurs » n'est pas permise"),
    ("[" + ", ".join(["t * 40"] * 20) + "] | length", "calculs trop volumineux"),
    ("range(9000) | map('string') | map('upper') | map('lower') | map('trim') | map('title') | map('upper')"
     " | map('lower') | map('trim') | map('title') | map('upper') | map('lower') | map('trim') | list",
     "trop d'opérations"),
]


@pytest.mark.parametrize(("expression", "reason"), COSTLY)
def test_a_costly_expression_is_stopped_with_a_reason(expressions, expression, reason):
    variables = {"v": 10**9, "t": "abcd" * 1000, "w": 2**4000}
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as caught:
        expressions.evaluate(expression, variables)
    assert time.perf_counter() - started < GUARD_SECONDS
    assert not isinstance(caught.value, MissingValueError)
    assert reason in str(caught.value)


def test_a_rendered_prompt_is_bounded(expressions):
    template = "{{ t }}" * 300
    with pytest.raises(ExpressionError) as caught:
        expressions.render(template, {"t": "x" * 1_000})
    assert "texte produit trop long" in str(caught.value)


def test_an_expression_cannot_change_an_answer(expressions):
    answers = {"liste": ["a"], "fiche": {"k": "v"}}
    for expression in ("liste.append('b')", "fiche.update({'k': 'w'})", "liste.clear()", "fiche.pop('k')"):
        with pytest.raises(ExpressionError):
            expressions.evaluate(expression, answers)
    assert answers == {"liste": ["a"], "fiche": {"k": "v"}}


def test_a_missing_answer_is_told_apart_from_a_broken_expression(expressions):
    with pytest.raises(MissingValueError):
        expressions.evaluate("age > 30", {})
    with pytest.raises(MissingValueError):
        expressions.evaluate("age > 30", {"age": None})
    with pytest.raises(ExpressionError) as caught:
        expressions.evaluate("age > 30", {"age": "trente"})
    assert not isinstance(caught.value, MissingValueError)
    assert str(caught.value) == "types incompatibles, par exemple un texte comparé à un nombre"


def test_ordinary_expressions_still_work(expressions):
    assert expressions.evaluate("value | length >= 15", {"value": "x" * 20}) is True
    assert expressions.evaluate("initiative in ['employeur', 'proche']", {"initiative": "proche"}) is True
    assert expressions.evaluate("2 ** 10 + 3 * 4 - 1", {}) == 1035
    assert expressions.render("{{ circonstances | default('...') | truncate(10) }}", {}) == "..."
    assert expressions.render("{{ ' Vos pistes : ' ~ (p | map(attribute='i') | join(', ')) }}",
                              {"p": [{"i": "A"}, {"i": "B"}]}) == " Vos pistes : A, B"


# -- privacy: what the beneficiary reads never quotes a consultant-only answer --------------------------

PRIVATE_STEP = '  - {id: avis, prompt: "Votre avis (consultant) ?", asked_to: consultant, answer: {type: text}}\n'


@pytest.mark.parametrize(("step_text", "expected"), [
    ('  - {id: b, prompt: "Vous disiez : {{ avis }} ?", answer: {type: text}}\n',
     "étape « b » : prompt : montre au bénéficiaire la réponse « avis », réservée au consultant"),
    ('  - {id: b, prompt: "B ?", prompt_fallback: "{{ avis }}", answer: {type: text}}\n',
     "étape « b » : prompt_fallback : montre au bénéficiaire la réponse « avis »"),
])
def test_a_prompt_shown_to_the_beneficiary_may_not_pipe_a_consultant_only_answer(step_text, expected):
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(HEAD + PRIVATE_STEP + step_text, "indiscret.yaml")
    assert expected in caught.value.summary()


def test_choices_shown_to_the_beneficiary_may_not_come_from_a_consultant_only_answer():
    text = (HEAD + '  - {id: pistes, prompt: "Pistes ?", asked_to: consultant, answer: {type: multi, '
            'choices: [{value: a, label: A}, {value: b, label: B}]}}\n'
            '  - {id: b, prompt: "Laquelle ?", answer: {type: single, choices_from: pistes}}\n')
    with pytest.raises(FlowLoadError) as caught:
        load_flow_text(text, "indiscret.yaml")
    assert "choices_from : propose au bénéficiaire la réponse « pistes »" in caught.value.summary()


def test_a_consultant_only_answer_may_decide_and_be_quoted_to_the_consultant():
    text = (HEAD + PRIVATE_STEP
            + '  - {id: b, prompt: "Suite ?", show_if: "avis", answer: {type: text}}\n'
            + '  - {id: c, prompt: "Vous notiez : {{ avis }}", asked_to: consultant, answer: {type: text}}\n')
    flow = load_flow_text(text, "correct.yaml")
    assert [s.id for s in flow.steps] == ["avis", "b", "c"]
