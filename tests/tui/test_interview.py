"""The whole "Analyse de la demande" run by keys, then a restart that finds everything again."""

from __future__ import annotations

from textual.widgets import DataTable

from bilan_tui.domain.models import AnswerStatus
from bilan_tui.storage import Repository
from bilan_tui.tui.widgets.bubbles import AnswerBubble
from tests.tui.helpers import (
    create_dossier,
    message,
    open_first_dossier_and_start,
    question,
    start_session,
    submit,
    type_text,
    visible_text,
)


async def test_full_analyse_de_la_demande_survives_a_restart(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await create_dossier(pilot)
        await open_first_dossier_and_start(pilot)
        assert app.screen.__class__.__name__ == "InterviewScreen"

        assert question(pilot).startswith("Bienvenue")
        await pilot.press("enter")
        await pilot.pause()

        assert "Qu'est-ce qui vous a amené" in question(pilot)
        await type_text(pilot, "Mon poste va être supprimé et je veux changer de métier.")
        await submit(pilot)

        assert "De qui vient" in question(pilot)
        await pilot.press("1")  # De moi-même: no question on voluntariness
        await pilot.pause()
        assert "situation" in question(pilot)
        await pilot.press("1")  # Salarié(e): the employed branch
        await pilot.pause()

        assert "Quel métier exercez-vous" in question(pilot)
        await type_text(pilot, "[bold]Comptable[/bold]")
        await pilot.press("enter")
        await pilot.pause()

        # Piped prompt, and letters in a number: an error, the person stays, the input is kept.
        assert "« [bold]Comptable[/bold] »" in question(pilot)
        await type_text(pilot, "douze")
        await pilot.press("enter")
        await pilot.pause()
        assert "n'est pas un nombre" in message(pilot)
        assert "« [bold]Comptable[/bold] »" in question(pilot)
        assert app.screen.query_one("#answer-line").value == "douze"
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "12")
        await pilot.press("enter")
        await pilot.pause()

        assert "satisfait" in question(pilot)
        await pilot.press("2")
        await pilot.pause()

        assert "Qu'attendez-vous" in question(pilot)
        await submit(pilot)  # nothing ticked: below the minimum
        assert "Il faut au moins 1 choix" in message(pilot)
        await pilot.press("3", "4")
        await submit(pilot)

        assert "contraintes" in question(pilot)
        await submit(pilot)  # empty list: below its minimum
        assert "Il faut au moins 1 élément" in message(pilot)
        await pilot.press("enter", "down", "down", "enter")
        await pilot.press("tab")
        await type_text(pilot, "Pas plus de 30 km")
        await pilot.press("enter")  # adds the item
        await pilot.pause()
        items = pilot.app.screen.query_one("#items")  # the elements added so far, one option each
        assert str(items.get_option_at_index(0).prompt) == "1. Nature : Mobilité géographique ; Précision : Pas plus de 30 km"
        await submit(pilot)

        assert "déjà essayé" in question(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("1")  # Plus tard: the question will come back
        await pilot.pause()

        assert "objectifs de ce bilan" in question(pilot)
        await type_text(pilot, "Trouver")
        await submit(pilot)
        assert "Des objectifs précis" in message(pilot)  # a warning: the person may go on
        await submit(pilot)

        assert "rythme" in question(pilot)
        await pilot.press("f2")  # back to the objectives, prefilled
        await pilot.pause()
        assert question(pilot).startswith("Modification")
        assert app.screen.query_one("#answer-long").text == "Trouver"
        await pilot.press("end")
        await type_text(pilot, " un métier utile, avec une formation courte.")
        await submit(pilot)

        assert "rythme" in question(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "Entre les séances" in question(pilot)
        await submit(pilot)  # optional: nothing ticked is fine
        assert "aménagement" in question(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "engager le bilan" in question(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert question(pilot).startswith("Merci")
        await pilot.press("enter")
        await pilot.pause()

        # The deferred question comes back before the end.
        assert question(pilot).startswith("Question reportée")
        await type_text(pilot, "Rien encore.")
        await submit(pilot)
        assert question(pilot).startswith("Parcours terminé")

        # Edit an earlier answer, picked in the transcript.
        await pilot.press("f3")
        for _ in range(30):
            if getattr(app.focused, "step_id", None) == "ad_circonstances":
                break
            await pilot.press("up")
        assert app.focused.step_id == "ad_circonstances"
        await pilot.press("enter")
        await pilot.pause()
        assert question(pilot).startswith("Modification")
        await pilot.press("end")
        await type_text(pilot, " Je voudrais aussi me former.")
        await submit(pilot)
        assert "2 réponses à revoir" in question(pilot)
        assert visible_text(pilot).count("⚠ À revoir") == 2

        # A private note, hidden by the privacy switch.
        await pilot.press("f5")
        await type_text(pilot, "Semble inquiète pour l'avenir.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Semble inquiète" in visible_text(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert "Semble inquiète" not in visible_text(pilot)
        assert "Rappeler le cadre" not in visible_text(pilot)
        assert "Mon poste va être supprimé" in visible_text(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert "Semble inquiète" in visible_text(pilot)

        # The report, written together, closes the session.
        await pilot.press("f10")
        await pilot.pause()
        await type_text(pilot, "Demande clarifiée, objectifs posés.")
        await pilot.press("tab")
        await type_text(pilot, "Lire deux fiches métiers\nContacter un comptable du public")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierScreen"
        sessions = app.screen.query_one("#sessions", DataTable)
        assert [str(c) for c in sessions.get_row_at(0)][-1] == "✓ rédigé"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")

    # A new app on the same data folder finds everything.
    repository = Repository(data_dir)
    [entry] = repository.list_dossiers()
    assert entry.summary.last_session is not None
    with repository.open(entry.id) as handle:
        [session] = handle.sessions()
        assert session.objectives == "Comprendre la demande"
        assert session.objectives_agreed
        assert session.report.next_actions == ("Lire deux fiches métiers", "Contacter un comptable du public")
        state = handle.interview("analyse_demande")
    answers = state.answers
    assert answers["ad_poste"].value == "[bold]Comptable[/bold]"
    assert answers["ad_anciennete"].value == 12
    assert answers["ad_attentes"].value == ["reconversion", "formation"]
    assert answers["ad_contraintes"].value == [{"nature": "mobilite", "detail": "Pas plus de 30 km"}]
    assert answers["ad_deja_tente"].value == "Rien encore."
    assert [r.status for r in answers["ad_deja_tente"].revisions] == [AnswerStatus.DEFERRED]
    assert answers["ad_circonstances"].revisions[0].value.endswith("changer de métier.")
    assert answers["ad_objectifs"].status is AnswerStatus.STALE
    assert answers["ad_engagement"].status is AnswerStatus.STALE
    assert answers["ad_objectifs"].value == "Trouver un métier utile, avec une formation courte."

    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Reprendre l'analyse")  # the first session is closed: a new one
        await pilot.press("enter")  # the flow
        await pilot.pause()
        text = visible_text(pilot)
        assert "Mon poste va être supprimé et je veux changer de métier. Je voudrais aussi me former." in text
        assert "[bold]Comptable[/bold]" in text
        assert text.count("⚠ À revoir") == 2
        assert "Semble inquiète" in text
        assert len(app.screen.query(AnswerBubble)) == 14
