"""Focused Pilot tests: privacy switch, literal text, refused flows, read-only, bad input kept."""

from __future__ import annotations

from pathlib import Path

from bilan_tui.domain.models import Beneficiary
from tests.tui.helpers import (
    create_dossier,
    message,
    open_first_dossier_and_start,
    question,
    submit,
    type_text,
    visible_text,
)


async def start_interview(pilot) -> None:
    await create_dossier(pilot)
    await open_first_dossier_and_start(pilot)
    await pilot.press("enter")  # past the welcome
    await pilot.pause()


async def test_privacy_switch_hides_notes_and_hints_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await start_interview(pilot)
        await pilot.press("f5")
        await type_text(pilot, "Observation privée")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f5")
        await type_text(pilot, "Note partagée")
        await pilot.press("tab", "space", "ctrl+s")  # shared with the beneficiary
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Observation privée" in shown and "Note partagée" in shown
        assert "Rappeler le cadre" in shown  # the consultant's hint of the welcome step
        await pilot.press("f6")
        await pilot.pause()
        hidden = visible_text(pilot)
        assert "Observation privée" not in hidden
        assert "Rappeler le cadre" not in hidden
        assert "Note partagée" in hidden
        assert "VUE BÉNÉFICIAIRE" in app.title
        # The question being typed is not lost by a note.
        await type_text(pilot, "Texte en cours, assez long pour tout valider.")
        await pilot.press("f5")
        await type_text(pilot, "Encore une")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#answer-long").text == "Texte en cours, assez long pour tout valider."
        # The consultant's hint under the current question is hidden too.
        await submit(pilot)
        assert "De qui vient" in question(pilot)
        assert "vérifier le caractère volontaire" not in visible_text(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert "vérifier le caractère volontaire" in visible_text(pilot)
        assert app.title == "bilan-tui"


async def test_markup_typed_by_a_person_is_shown_literally(make_app):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await start_interview(pilot)
        await type_text(pilot, "J'ai écrit [bold]ceci[/bold] et [red]cela[/] volontairement.")
        await submit(pilot)
        assert "J'ai écrit [bold]ceci[/bold] et [red]cela[/] volontairement." in visible_text(pilot)


async def test_empty_required_answer_gets_a_message_and_keeps_the_step(make_app):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await start_interview(pilot)
        before = question(pilot)
        await pilot.press("space", "space")
        await submit(pilot)
        assert "Une réponse est attendue" in message(pilot)
        assert question(pilot) == before


async def test_a_refused_flow_is_listed_with_its_errors_and_the_others_work(make_app, data_dir: Path):
    flows = data_dir / "flows"
    flows.mkdir(parents=True)
    (flows / "mon_parcours.yaml").write_text(
        'id: perso\ntitle: Perso\nflow_version: "1"\nphase: investigation\nsteps:\n'
        '  - {id: a, prompt: "A ?", answer: {type: text}, next: [{goto: nulle_part}]}\n'
    )
    app = make_app(extra_flow_dirs=(flows,))
    async with app.run_test(size=(130, 50)) as pilot:
        await create_dossier(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await type_text(pilot, "Objectifs")
        await pilot.press("tab", "space", "ctrl+s")  # agreed
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Parcours refusé (mon_parcours.yaml)" in shown
        assert "étape « a » : next : l'étape « nulle_part » n'existe pas" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "InterviewScreen"


async def test_a_dossier_open_elsewhere_opens_read_only(make_app, repository):
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    holder = repository.open(dossier.id)
    try:
        app = make_app()
        async with app.run_test(size=(130, 50)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "DossierScreen"
            assert "Lecture seule. Ce dossier est déjà ouvert dans une autre fenêtre" in visible_text(pilot)
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "DossierScreen"  # no session started
    finally:
        holder.close()
    with repository.open(dossier.id) as handle:
        assert handle.sessions() == []
