"""Hostile input by keys: escape sequences, numbers too big, years 0000, digits of other scripts, blank notes.

Textual's pilot cannot type ESC or BEL as characters: where a test needs them, it puts them in the
field (as a paste would) and then validates by keys. Everything else is typed.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input, TextArea

from bilan_tui.storage import Repository
from tests.tui.helpers import (
    create_dossier,
    message,
    open_first_dossier_and_start,
    pick_module,
    question,
    start_session,
    submit,
    type_text,
    visible_text,
)

TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"

ESSAI = """\
id: essai
title: "Essai des saisies"
flow_version: "1"
phase: investigation
steps:
  - {id: salaire, prompt: "Quel salaire visez-vous ?", answer: {type: number}}
  - {id: debut, prompt: "Depuis quand ?", answer: {type: month}}
  - {id: jusqu_a, prompt: "Jusqu'à quand ?", answer: {type: date}}
  - {id: poste, prompt: "Quel poste ?", answer: {type: text}}
"""


def stored(data_dir: Path) -> str:
    """Every dossier file as written on disk."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((data_dir / "dossiers").glob("*.json")))


def escapes_in(text: str) -> list[str]:
    return [code for code in ("\x1b", "\x07", "\\u001b", "\\u0007", "\\u009b", "&#27;", "&#x1b;") if code in text]


def screen_escapes(pilot) -> list[str]:
    return escapes_in(pilot.app.export_screenshot()) + escapes_in(visible_text(pilot))


async def paste(pilot, text: str) -> None:
    """What the terminal sends when text is pasted into the focused field."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()


def answers(data_dir: Path, flow_id: str) -> dict:
    repository = Repository(data_dir)
    (entry,) = repository.list_dossiers()
    with repository.open(entry.id, read_only=True) as handle:
        state = handle.interview(flow_id)
    return {} if state is None else {k: r.value for k, r in state.answers.items()}


async def test_a_name_pasted_with_escape_sequences_is_stored_and_shown_without_them(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await paste(pilot, f"Léa{TITLE}")
        assert screen_escapes(pilot) == []  # not even while it is being edited
        await pilot.press("enter")
        pilot.app.screen.query_one("#last_name", Input).value = f"{CLEAR}Martin"
        await pilot.pause()
        assert screen_escapes(pilot) == []
        # birth date, email, phone, situation, detail, contract, funding, working time, consultant
        await pilot.press(*["tab"] * 9)
        await type_text(pilot, "Paul")
        await pilot.press("enter")  # the last field saves
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert str(app.screen.query_one(DataTable).get_row_at(0)[0]) == "Léa]0;PWNED [2JMartin"
        assert screen_escapes(pilot) == []
        await pilot.press("enter")  # the dossier shows the name too
        await pilot.pause()
        assert "Léa]0;PWNED [2JMartin" in visible_text(pilot) and "Paul" in visible_text(pilot)
        assert screen_escapes(pilot) == []
    assert "Léa]0;PWNED" in json.dumps(json.loads(stored(data_dir)), ensure_ascii=False)
    assert escapes_in(stored(data_dir)) == []
    assert escapes_in((data_dir / "index.json").read_text(encoding="utf-8")) == []


async def test_escapes_in_objectives_answers_notes_and_report_never_reach_the_file_or_the_screen(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await create_dossier(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        pilot.app.screen.query_one("#objectives", TextArea).load_text(f"Comprendre{TITLE} la demande")
        await pilot.press("tab", "space", "ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # Analyse de la demande
        await pilot.pause()
        await pilot.press("enter")  # past the welcome
        await pilot.pause()
        assert "Qu'est-ce qui vous a amené" in question(pilot)
        await paste(pilot, f"Mon poste{CLEAR} va être supprimé\net je veux changer{TITLE} de métier.")
        assert screen_escapes(pilot) == []
        await submit(pilot)
        assert "De qui vient" in question(pilot)
        await pilot.press("f5")
        await pilot.pause()
        pilot.app.screen.query_one("#note", TextArea).load_text(f"Observation{CLEAR} privée")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Mon poste[2J va être supprimé" in shown and "changer]0;PWNED de métier." in shown
        assert "Observation[2J privée" in shown
        assert screen_escapes(pilot) == []
        await pilot.press("f10")
        await pilot.pause()
        assert "Comprendre]0;PWNED la demande" in visible_text(pilot)
        pilot.app.screen.query_one("#results", TextArea).load_text(f"Demande{TITLE} comprise")
        pilot.app.screen.query_one("#actions", TextArea).load_text(f"Lire{CLEAR} la fiche\nAppeler\x07")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen_escapes(pilot) == []
    text = stored(data_dir)
    assert escapes_in(text) == []
    content = json.dumps(json.loads(text), ensure_ascii=False)
    for kept in ("Comprendre]0;PWNED la demande", "Mon poste[2J va être supprimé\\net je veux changer]0;PWNED",
                 "Observation[2J privée", "Demande]0;PWNED comprise", "Lire[2J la fiche", "\"Appeler\""):
        assert kept in content


async def open_essai(pilot, data_dir: Path) -> None:
    await create_dossier(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await start_session(pilot, "Essai")
    await pick_module(pilot, "Essai des saisies")


def essai_flows(data_dir: Path) -> tuple[Path, ...]:
    flows = data_dir / "flows"
    flows.mkdir(parents=True)
    (flows / "essai.yaml").write_text(ESSAI, encoding="utf-8")
    return (flows,)


async def test_a_number_too_big_typed_by_keys_is_refused_in_french_and_nothing_is_stored(make_app, data_dir):
    app = make_app(extra_flow_dirs=essai_flows(data_dir))
    async with app.run_test(size=(130, 40)) as pilot:
        await open_essai(pilot, data_dir)
        assert "Quel salaire" in question(pilot)
        await type_text(pilot, "9" * 40)
        await pilot.press("enter")
        await pilot.pause()
        assert "au plus 15 chiffres avant la virgule" in message(pilot)
        assert "Quel salaire" in question(pilot)
        assert app.screen.query_one("#answer-line", Input).value == "9" * 40  # what was typed is kept
        assert answers(data_dir, "essai") == {}
        app.screen.query_one("#answer-line", Input).value = ""
        await type_text(pilot, "9" * 16)
        await pilot.press("enter")
        await pilot.pause()
        assert "au plus 15 chiffres avant la virgule" in message(pilot)
        assert answers(data_dir, "essai") == {}
        # Still alive: a number in Arabic-Indic digits is read, stored and shown in 0-9.
        app.screen.query_one("#answer-line", Input).value = ""
        await type_text(pilot, "٢٥٠٠٠")
        await pilot.press("enter")
        await pilot.pause()
        assert "Depuis quand" in question(pilot)
        assert answers(data_dir, "essai") == {"salaire": 25000}
        assert "25 000" in visible_text(pilot)


async def test_year_0000_is_refused_and_months_and_dates_in_other_scripts_are_stored_in_ascii(make_app, data_dir):
    app = make_app(extra_flow_dirs=essai_flows(data_dir))
    async with app.run_test(size=(130, 40)) as pilot:
        await open_essai(pilot, data_dir)
        await type_text(pilot, "32000")
        await pilot.press("enter")
        await pilot.pause()
        assert "Depuis quand" in question(pilot)
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await pilot.pause()
        assert "l'année doit être comprise entre 1900 et 2100" in message(pilot)
        assert "Depuis quand" in question(pilot)
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "٠٣/٢٠١٥")
        await pilot.press("enter")
        await pilot.pause()
        assert "Jusqu'à quand" in question(pilot)
        await type_text(pilot, "01/01/0000")
        await pilot.press("enter")
        await pilot.pause()
        assert "l'année doit être comprise entre 1900 et 2100" in message(pilot)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "３１/１２/２０１９")  # fullwidth digits (the pilot cannot type a fullwidth ／)
        await pilot.press("enter")
        await pilot.pause()
        assert "Quel poste" in question(pilot)
        assert answers(data_dir, "essai") == {"salaire": 32000, "debut": "2015-03", "jusqu_a": "2019-12-31"}
        assert "03/2015" in visible_text(pilot) and "31/12/2019" in visible_text(pilot)


async def test_a_note_of_spaces_only_is_refused_and_nothing_is_stored(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await create_dossier(pilot)
        await open_first_dossier_and_start(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await type_text(pilot, "   \u2800 \u3164 \n  ")  # spaces, and blanks that are not spaces for Python
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "NoteScreen"
        assert "La note est vide" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "InterviewScreen"
        assert "Note privée" not in visible_text(pilot)
    assert answers(data_dir, "analyse_demande") == {}


async def test_the_dossier_form_refuses_a_name_too_long_in_french_and_keeps_it(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Léa")
        await pilot.press("enter")
        await paste(pilot, "Martin" * 100)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierFormScreen"
        assert "Nom : texte trop long (600 caractères pour 500 au plus)." in visible_text(pilot)
        assert app.screen.query_one("#last_name", Input).value == "Martin" * 100
    assert Repository(data_dir).list_dossiers() == []


async def test_an_item_typed_by_hand_with_escapes_is_stored_clean(make_app, data_dir, repository):
    from bilan_tui.domain.models import Beneficiary

    dossier = repository.create_dossier(Beneficiary(first_name="Karim", last_name="Benali"))
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await paste(pilot, f"Soudure{TITLE} TIG")
        assert screen_escapes(pilot) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "PortfolioScreen"
        assert screen_escapes(pilot) == []
    with Repository(data_dir).open(dossier.id, read_only=True) as handle:
        assert [item.title for item in handle.portfolio().active()] == ["Soudure]0;PWNED TIG"]
    assert escapes_in(stored(data_dir)) == []
