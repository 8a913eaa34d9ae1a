"""Hostile flow files in the data folder: the app starts, and the consultant reads why each was refused.
A flow whose expression fails while it runs says so to the consultant instead of hiding a question."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import create_dossier, pick_module, start_session, type_text, visible_text

HEAD = 'title: {title}\nflow_version: "1.0.0"\nphase: preliminaire\nsteps:\n'


def _bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\nid: bombe\n"


def _plant(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "puissance.yaml").write_text(
        "id: puissance\n" + HEAD.format(title="Puissance")
        + '  - {id: a, prompt: "A ?", answer: {type: text}}\n'
        + '  - {id: b, prompt: "B ?", answer: {type: text}, show_if: "10 ** (10 ** 9) > 0"}\n', encoding="utf-8")
    (folder / "boucle.yaml").write_text(
        "id: boucle\n" + HEAD.format(title="Boucle")
        + '  - {id: a, prompt: "{% for i in range(10**9) %}x{% endfor %}", answer: {type: text}}\n', encoding="utf-8")
    (folder / "bombe.yaml").write_text(_bomb(), encoding="utf-8")
    (folder / "latin1.yaml").write_bytes("title: Évaluation\n".encode("latin-1"))
    (folder / "long.yaml").write_text(
        "id: long\n" + HEAD.format(title="Long")
        + "".join(f'  - {{id: s{i}, prompt: "Q{i} ?", answer: {{type: text}}}}\n' for i in range(2_500)),
        encoding="utf-8")
    (folder / "perso.yaml").write_text(
        "id: perso\n" + HEAD.format(title='"Mon \\e[2Jparcours"')
        + '  - {id: poste, prompt: "Votre poste ?", answer: {type: text}}\n'
        + '  - {id: suite, prompt: "Depuis quand ?", show_if: "poste > 3", answer: {type: text}}\n'
        + '  - {id: derniere, prompt: "Un dernier mot ?", answer: {type: text}}\n', encoding="utf-8")


async def test_the_app_starts_and_the_picker_shows_why_each_flow_was_refused(make_app, data_dir):
    _plant(data_dir / "flows")
    app = make_app(extra_flow_dirs=(data_dir / "flows",))
    async with app.run_test(size=(130, 50)) as pilot:
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert "Aucun dossier pour l'instant" in visible_text(pilot)
        await create_dossier(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Premier entretien")
        assert app.screen.__class__.__name__ == "FlowPickerScreen"
        shown = visible_text(pilot)
        for expected in (
            "Parcours refusé (puissance.yaml) :\n  - étape « b » : expression refusée : show_if : puissance trop grande",
            "Parcours refusé (boucle.yaml) :\n  - étape « a » : expression refusée : prompt : instruction {% … %} "
            "non permise",
            "Parcours refusé (bombe.yaml) :\n  - YAML refusé : trop de valeurs",
            "Parcours refusé (latin1.yaml) :\n  - le fichier n'est pas un texte UTF-8",
            "Parcours refusé (long.yaml) :\n  - trop d'étapes (2500 ; au plus 2000)",
        ):
            assert expected in shown
        options = app.screen.query_one("#module-choices")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(p.startswith("Analyse de la demande") for p in prompts)
        assert any(p.startswith("Mon [2Jparcours") for p in prompts)  # the escape character is gone


async def _answer_the_post(pilot, *, beneficiary_view: bool) -> None:
    """A dossier, a session, the colleague's module; « soudeur » makes its next condition fail."""
    await create_dossier(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await start_session(pilot, "Premier entretien")
    await pick_module(pilot, "Mon [2Jparcours")
    if beneficiary_view:
        await pilot.press("f6")  # the beneficiary reads the screen
    await type_text(pilot, "soudeur")
    await pilot.press("enter")
    await pilot.pause()
    assert "Un dernier mot ?" in visible_text(pilot)


async def test_an_expression_failing_during_the_interview_is_told_to_the_consultant(make_app, data_dir):
    _plant(data_dir / "flows")
    app = make_app(extra_flow_dirs=(data_dir / "flows",))
    async with app.run_test(size=(130, 50)) as pilot:
        await _answer_the_post(pilot, beneficiary_view=False)
        messages = [n.message for n in app._notifications]
        assert ("Parcours à corriger (show_if, étape « suite ») : la condition d'affichage a échoué (types "
                "incompatibles, par exemple un texte comparé à un nombre) ; la question n'est pas posée.") in messages


async def test_an_expression_failure_is_held_while_the_beneficiary_reads_the_screen(make_app, data_dir):
    _plant(data_dir / "flows")
    app = make_app(extra_flow_dirs=(data_dir / "flows",))
    async with app.run_test(size=(130, 50)) as pilot:
        await _answer_the_post(pilot, beneficiary_view=True)
        assert not [n for n in app._notifications if "Parcours à corriger" in n.message]
        await pilot.press("f6")  # back to the consultant: now it is said
        await pilot.pause()
        assert [n for n in app._notifications if "Parcours à corriger (show_if, étape « suite »)" in n.message]
