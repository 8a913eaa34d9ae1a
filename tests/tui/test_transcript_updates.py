"""The interview's conversation is updated, not rebuilt: an answer adds its exchange, an edit redraws
only what it changed, and the beneficiary view (F6) still hides what is the consultant's."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from bilan_tui.domain.models import Beneficiary, Session
from bilan_tui.tui.screens.interview import InterviewScreen
from bilan_tui.tui.widgets.bubbles import AnswerBubble
from tests.conftest import FIXED_NOW
from tests.tui.helpers import question, type_text, visible_text

FLOW = """
id: fil_essai
title: "Fil d'essai"
flow_version: "1"
phase: investigation
steps:
  - {id: prenom, prompt: "Votre prénom ?", answer: {type: text}}
  - {id: metier, prompt: "Votre métier, {{ prenom }} ?", answer: {type: text}}
  - id: observation
    prompt: "ZZOBS Ce que le consultant observe"
    asked_to: consultant
    answer: {type: text}
  - id: ville
    prompt: "Votre ville ?"
    consultant_note: "ZZCONSEIL demander la mobilité"
    answer: {type: text}
  - {id: dernier_mot, prompt: "Un dernier mot ?", answer: {type: text}}
"""


def flows_dir(data_dir: Path) -> Path:
    folder = data_dir.parent / "modules"
    folder.mkdir()
    (folder / "fil_essai.yaml").write_text(FLOW, encoding="utf-8")
    return folder


async def open_interview(app, pilot):
    """A dossier and a session made beforehand; the interview of the test module opened on top."""
    repository = app.repository
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    handle = repository.open(dossier.id)
    session = Session.start(handle.dossier, "Essai", True, FIXED_NOW)
    handle.save_session(session)
    await pilot.pause()
    app.push_screen(InterviewScreen(handle, session, app.catalog.flows["fil_essai"]))
    await pilot.pause()
    return handle


async def answer(pilot, text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


def bubbles(app) -> list[Static]:
    return list(app.screen.query_one("#transcript").children)


def texts(widgets: list[Static]) -> list[str]:
    return [str(w.content) for w in widgets]


async def test_an_answer_adds_its_exchange_and_keeps_every_bubble_already_shown(make_app, data_dir):
    app = make_app(extra_flow_dirs=(flows_dir(data_dir),))
    async with app.run_test(size=(130, 50)) as pilot:
        handle = await open_interview(app, pilot)
        try:
            await answer(pilot, "Léa")
            await answer(pilot, "Aide-soignante")
            before = bubbles(app)
            contents = [w.content for w in before]
            answers_before = len(app.screen.query(AnswerBubble))
            assert "ZZOBS" in question(pilot)

            await answer(pilot, "Très motivée")

            after = bubbles(app)
            assert after[:len(before)] == before  # the very same widgets, none mounted again
            assert all(a is b for a, b in zip(after, before, strict=False))
            assert [w.content for w in after[:len(before)]] == contents
            assert all(w.content is c for w, c in zip(after, contents, strict=False))  # none redrawn
            added = after[len(before):]
            assert texts(added) == ["ZZOBS Ce que le consultant observe", "Consultant(e) : Très motivée"]
            assert len(app.screen.query(AnswerBubble)) == answers_before + 1
            assert "Votre ville ?" in question(pilot)
        finally:
            handle.close()


async def test_an_edit_redraws_only_the_edited_answer_and_what_it_made_stale(make_app, data_dir):
    app = make_app(extra_flow_dirs=(flows_dir(data_dir),))
    async with app.run_test(size=(130, 50)) as pilot:
        handle = await open_interview(app, pilot)
        try:
            for text in ("Léa", "Aide-soignante", "Très motivée", "Lyon", "Merci"):
                await answer(pilot, text)
            assert "Parcours terminé" in question(pilot)
            before = bubbles(app)
            contents = {id(w): w.content for w in before}

            await pilot.press("f3")  # the last answer, then up to the first one
            await pilot.press("up", "up", "up", "up")
            await pilot.press("enter")
            await pilot.pause()
            assert "Modification" in question(pilot)
            assert bubbles(app) == before
            assert all(w.content is contents[id(w)] for w in before)  # choosing an answer redraws nothing

            await pilot.press(*["backspace"] * len("Léa"))
            await answer(pilot, "Léna")

            after = bubbles(app)
            assert after == before and all(a is b for a, b in zip(after, before, strict=True))
            redrawn = [str(w.content) for w in after if w.content is not contents[id(w)]]
            assert redrawn == [
                "Bénéficiaire : Léna\n(modifiée 1 fois)",  # the edited answer
                "Votre métier, Léna ?",  # its prompt pipes the edited answer
                "Bénéficiaire : Aide-soignante\n⚠ À revoir : une réponse dont elle dépend a changé (F3 pour modifier)",
            ]
            stale = [w for w in after if w.has_class("stale")]
            assert [w.step_id for w in stale if isinstance(w, AnswerBubble)] == ["metier"]
        finally:
            handle.close()


async def test_the_beneficiary_view_still_hides_what_is_the_consultants(make_app, data_dir):
    app = make_app(extra_flow_dirs=(flows_dir(data_dir),))
    async with app.run_test(size=(130, 50)) as pilot:
        handle = await open_interview(app, pilot)
        try:
            for text in ("Léa", "Aide-soignante", "ZZREPONSE observée"):
                await answer(pilot, text)
            assert "ZZOBS" in visible_text(pilot) and "ZZREPONSE" in visible_text(pilot)
            assert "ZZCONSEIL" in visible_text(pilot)  # the hint under the current question

            await pilot.press("f6")
            await pilot.pause()
            await answer(pilot, "Lyon")  # answered while the beneficiary reads the screen
            shown = visible_text(pilot) + "\n".join(texts(bubbles(app)))
            assert "ZZ" not in shown
            assert "Bénéficiaire : Lyon" in shown and "Votre ville ?" in shown

            await pilot.press("f6")
            await pilot.pause()
            shown = "\n".join(texts(bubbles(app)))
            assert "ZZREPONSE" in shown and "ZZCONSEIL" in shown
            assert shown.index("ZZOBS") < shown.index("Votre ville ?")  # back at its place
        finally:
            handle.close()


LONG_FLOW = 'id: fil_long\ntitle: "Fil long"\nflow_version: "1"\nphase: investigation\nsteps:\n' + "".join(
    f'  - {{id: q{i}, prompt: "Question {i} ?", answer: {{type: text}}}}\n' for i in range(1, 26))


async def test_a_long_conversation_draws_its_latest_messages_and_f3_draws_them_all(make_app, data_dir):
    folder = flows_dir(data_dir)
    (folder / "fil_long.yaml").write_text(LONG_FLOW, encoding="utf-8")
    app = make_app(extra_flow_dirs=(folder,))
    async with app.run_test(size=(120, 50)) as pilot:
        repository = app.repository
        dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
        handle = repository.open(dossier.id)
        session = Session.start(handle.dossier, "Essai", True, FIXED_NOW)
        handle.save_session(session)
        app.push_screen(InterviewScreen(handle, session, app.catalog.flows["fil_long"]))
        await pilot.pause()
        for i in range(1, 25):
            await answer(pilot, f"R{i}")
        assert question(pilot) == "Question 25 ?"
        # 24 exchanges: 48 messages, the 40 latest drawn under a line that counts the others.
        answers = [b.row.content.plain for b in app.screen.query(AnswerBubble)]
        assert len(app.screen.query(".assistant")) + len(answers) == 40
        assert "⋯ 8 messages plus anciens : F3 pour afficher toute la conversation" in visible_text(pilot)
        assert not any(a.endswith(" R1") for a in answers) and answers[-1].endswith(" R24")
        await pilot.press("f3")  # the whole conversation, to pick the oldest answer
        await pilot.pause()
        answers = [b.row.content.plain for b in app.screen.query(AnswerBubble)]
        assert len(answers) == 24 and answers[0].endswith(" R1")
        assert "messages plus anciens" not in visible_text(pilot)
        await pilot.press(*["up"] * 23, "enter")  # the first answer, to change it
        await pilot.pause()
        assert question(pilot) == "Modification – Question 1 ?"
        await answer(pilot, "R1 corrigée")
        assert "⋯ 8 messages plus anciens" in visible_text(pilot)  # back to the latest messages
        assert question(pilot) == "Question 25 ?"
