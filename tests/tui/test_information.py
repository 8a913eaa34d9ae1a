"""The information préalable, by keys: checklist, first contact, screening (redirection, en réflexion,
back to a bilan), the document d'information exported and handed over, the mid-bilan review."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from pypdf import PdfReader
from textual.widgets import DataTable, OptionList

from bilan_tui.domain.models import Beneficiary, DossierStatus, Note, Phase, Session
from bilan_tui.domain.procedure.funding import Agreement, FundingType
from bilan_tui.domain.procedure.information import InformationItem, ScreeningOutcome, screening
from bilan_tui.domain.procedure.money import Price
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from bilan_tui.tui.screens.information import InformationScreen
from tests.conftest import FIXED_NOW
from tests.persona import run
from tests.tui.helpers import type_text, visible_text

TODAY = FIXED_NOW.date()
MARK = "ZZPRIVE"


def prepare(data_dir: Path, *, investigation: bool = False, agreement: Agreement | None = None) -> str:
    """A dossier of Léa Martin (consultant Paul Roux) whose working file holds the marker in an answer
    and in a consultant note; in the investigation phase, with a session of that phase, if asked."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul Roux")
    catalog = load_catalog()
    engine = Workbook(catalog.flows, [], JinjaExpressions()).engine(catalog.flows["analyse_demande"])
    state = run(engine, {"ad_circonstances": f"{MARK} réponse de travail"})
    state = engine.add_note(state, "ad_circonstances", Note(text=f"{MARK} note du consultant", at=FIXED_NOW),
                            now=FIXED_NOW)
    with repository.open(dossier.id) as handle:
        handle.save_interview(state)
        if investigation:
            dossier = dossier.model_copy(update={"phase": Phase.INVESTIGATION})
            handle.save_dossier(dossier)
            handle.save_session(Session.start(dossier, "Confronter les pistes au marché", True,
                                              FIXED_NOW - dt.timedelta(days=1)))
        if agreement is not None:
            handle.save_admin(handle.admin().model_copy(update={"agreement": agreement}))
    return dossier.id


async def open_information(pilot) -> None:
    await pilot.press("enter")  # the dossier
    await pilot.pause()
    await pilot.press("a")  # Cadre du bilan
    await pilot.pause()
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(pilot.app.screen, InformationScreen)


def admin(data_dir: Path, dossier_id: str):  # type: ignore[no-untyped-def]
    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        return handle.admin(), handle.dossier, handle.sessions()


async def choose_outcome(pilot, outcome: ScreeningOutcome) -> None:
    """In the screening form (focus on the list): open it and pick ``outcome``."""
    await pilot.press("enter", "home", *["down"] * (list(ScreeningOutcome).index(outcome) + 1), "enter")
    await pilot.pause()


async def test_the_checklist_is_ticked_by_keys_with_its_date(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        assert "7 points à présenter" in visible_text(pilot)
        await pilot.press("space")  # the first item
        await pilot.press("down", "enter")  # the second, by Entrée
        await pilot.pause()
        items = app.screen.query_one("#items", OptionList)
        prompts = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert prompts[0] == "☑ Objectifs et phases du bilan · présenté le 26/11/2026"
        assert prompts[1].startswith("☑ Durée du bilan") and prompts[1].endswith("présenté le 26/11/2026")
        assert prompts[2] == "☐ Confidentialité et propriété des résultats · à présenter"
        assert "5 points à présenter" in visible_text(pilot)
        record = admin(data_dir, dossier_id)[0].information
        assert record.ticked_on(InformationItem.OBJECTIVES_PHASES) == TODAY
        assert record.ticked_on(InformationItem.DURATION) == TODAY

        # Unticking asks first (the date is lost): N keeps it, O confirms.
        await pilot.press("up", "space")
        await pilot.pause()
        assert "Décocher « Objectifs et phases du bilan », présenté le 26/11/2026" in visible_text(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert admin(data_dir, dossier_id)[0].information.ticked_on(InformationItem.OBJECTIVES_PHASES) == TODAY
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert admin(data_dir, dossier_id)[0].information.ticked_on(InformationItem.OBJECTIVES_PHASES) is None
        assert str(items.get_option_at_index(0).prompt) == "☐ Objectifs et phases du bilan · à présenter"

        # An item presented on an earlier day: J, its date (not one to come).
        await pilot.press("down", "down", "j")
        await pilot.pause()
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "27/11/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert "le 27/11/2026 est à venir" in visible_text(pilot)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "20/11/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert str(items.get_option_at_index(2).prompt) == (
            "☑ Confidentialité et propriété des résultats · présenté le 20/11/2026")
        assert admin(data_dir, dossier_id)[0].information.ticked_on(InformationItem.CONFIDENTIALITY) == dt.date(
            2026, 11, 20)

        # The date of the first contact: a French date, not in the future.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "30/11/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert "ne peut pas être dans le futur" in visible_text(pilot)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "31/02/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert "n'existe pas dans le calendrier" in visible_text(pilot)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "20/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Premier contact : 20/11/2026" in visible_text(pilot)
        assert admin(data_dir, dossier_id)[0].first_contact == dt.date(2026, 11, 20)


async def test_a_redirection_needs_its_reason_and_closes_the_dossier(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")  # nothing chosen
        await pilot.pause()
        assert "Choisissez l'issue" in visible_text(pilot)
        await choose_outcome(pilot, ScreeningOutcome.VAE)
        await pilot.press("ctrl+s")  # no reason: refused, the form stays
        await pilot.pause()
        assert "indiquez la raison de la réorientation" in visible_text(pilot)
        assert admin(data_dir, dossier_id)[0].information.screening is None
        await type_text(pilot, "Dix ans de métier, une VAE suffit")  # the focus went to the reason
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Le dossier de Léa Martin sera clos" in visible_text(pilot)
        await pilot.press("o")
        await pilot.pause()
        stored, dossier, _ = admin(data_dir, dossier_id)
        assert stored.information.screening.outcome is ScreeningOutcome.VAE
        assert stored.information.screening.reason == "Dix ans de métier, une VAE suffit"
        assert (dossier.status, dossier.closed_on) == (DossierStatus.CLOSED, TODAY)
        assert ("Statut du dossier : clos le 26/11/2026 (réorienté vers une VAE : Dix ans de métier, une VAE "
                "suffit)") in visible_text(pilot)
        assert "La demande a été réorientée" in visible_text(pilot)

        await pilot.press("escape", "escape")  # the frame, then the dossier: it says why it is closed
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Statut : clos le 26/11/2026 (réorienté vers une VAE : Dix ans de métier" in shown
        assert "Réorientation vers une VAE" in shown
        await pilot.press("s")  # no session starts in a closed dossier, and the screen says why
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierScreen"
        assert any("aucun entretien n'y démarre" in n.message for n in app._notifications)
        await pilot.press("escape")  # home
        await pilot.pause()
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row(dossier_id)]
        assert (row[3], row[5]) == ("Réorienté", "clos")


async def test_en_reflexion_waits_with_its_call_back_then_a_bilan_reopens(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        await pilot.press("a")
        await pilot.pause()
        await choose_outcome(pilot, ScreeningOutcome.THINKING)
        await pilot.press("ctrl+s")  # no call-back date
        await pilot.pause()
        assert "indiquez la date à laquelle rappeler la personne" in visible_text(pilot)
        await type_text(pilot, "25/11/2026")  # the focus is on the date: before today
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ne peut pas précéder l'entretien" in visible_text(pilot)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "03/12/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored, dossier, _ = admin(data_dir, dossier_id)
        assert stored.information.screening.call_back_on == dt.date(2026, 12, 3)
        assert dossier.status is DossierStatus.SUSPENDED
        assert "suspendu (en réflexion, rappel le 03/12/2026)" in visible_text(pilot)
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row(dossier_id)]
        assert (row[3], row[5]) == ("Rappel le 03/12/2026", "suspendu")

        # The person calls back: a bilan it is; the dossier opens again.
        await open_information(pilot)
        await pilot.press("a")
        await pilot.pause()
        await choose_outcome(pilot, ScreeningOutcome.BILAN)
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored, dossier, _ = admin(data_dir, dossier_id)
        assert stored.information.screening.outcome is ScreeningOutcome.BILAN
        assert stored.information.screening.call_back_on is None
        assert dossier.status is DossierStatus.OPEN
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row(dossier_id)]
        assert (row[3], row[5]) == ("", "ouvert")


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2010\n", ""))


async def test_the_document_is_adapted_exported_and_handed_over(make_app, data_dir):
    price = Price(excl_tax="1650.00")
    dossier_id = prepare(data_dir, agreement=Agreement(funding=FundingType.SELF_FUNDED, price=price))
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        await pilot.press("d")
        await pilot.pause()
        await type_text(pilot, "Séances le mercredi matin uniquement")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert admin(data_dir, dossier_id)[0].information.adaptation == "Séances le mercredi matin uniquement"
        await pilot.press("1")  # PDF
        await app.workers.wait_for_complete()
        await pilot.pause()
        exports = data_dir / "exports"
        [pdf] = exports.glob("document-information-*.pdf")
        assert f"Dernier export (document d'information) : {pdf}" in visible_text(pilot)
        text = pdf_text(pdf)
        assert "Séances le mercredi matin uniquement" in text
        assert "1 650,00 € HT, soit 1 980,00 € TTC" in text
        assert "Léa Martin" in text and "Paul Roux" in text
        assert "refuser de répondre à toute question" in text and "propriétaire exclusif" in text
        assert "rétracter" in text  # the funding chosen: self-funded
        assert MARK not in text

        await pilot.press("d")  # the adaptation comes back as typed; DOCX this time
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [docx] = exports.glob("document-information-*.docx")
        assert MARK.encode() not in docx.read_bytes()

        # The hand-over, by R, confirmed.
        assert "Le document d'information n'a pas été remis." in visible_text(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert "Enregistrer la remise du document d'information aujourd'hui (26/11/2026)" in visible_text(pilot)
        await pilot.press("o")
        await pilot.pause()
        handover = admin(data_dir, dossier_id)[0].information.document
        assert handover.handed_on == TODAY and handover.adapted_to == "Séances le mercredi matin uniquement"
        shown = visible_text(pilot)
        assert "Remis le 26/11/2026." in shown
        assert "Le document d'information n'a pas été remis." not in shown


async def test_the_mid_review_is_kept_with_its_session_and_traced(make_app, data_dir):
    dossier_id = prepare(data_dir, investigation=True)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Point à mi-parcours à proposer" in visible_text(pilot)  # on the dossier screen
        await pilot.press("a", "i")
        await pilot.pause()
        assert "À proposer : le dossier est en phase d'investigation" in visible_text(pilot)
        await pilot.press("m")
        await pilot.pause()
        await type_text(pilot, "Deux pistes explorées sur trois")
        await pilot.press("ctrl+s")  # the method not understood, nothing done about it: refused
        await pilot.pause()
        assert "La méthode n'est pas comprise" in visible_text(pilot)
        await pilot.press("shift+tab", "space")  # the box: understood
        await pilot.press("tab")
        await type_text(pilot, "Une séance de plus sur le marché")
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored, _, sessions = admin(data_dir, dossier_id)
        [session] = sessions
        assert session.mid_review.where_we_stand == "Deux pistes explorées sur trois"
        assert session.mid_review.method_understood
        assert session.mid_review.adjustments == "Une séance de plus sur le marché"
        trace = stored.information.mid_review
        assert (trace.held_on, trace.session_id, trace.method_understood, trace.adjusted) == (
            session.date, session.id, True, True)
        assert "Deux pistes" not in stored.model_dump_json()  # only the trace in the administrative file
        shown = visible_text(pilot)
        assert "Point à mi-parcours le 25/11/2026 : méthode comprise, ajustements faits" in shown
        assert "Deux pistes" not in shown
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert "Point à mi-parcours à proposer" not in visible_text(pilot)
        await pilot.press("v")  # the session, read again: what was said is there
        await pilot.pause()
        shown = visible_text(pilot)
        assert "Où en est le bilan : Deux pistes explorées sur trois" in shown
        assert "Ajustements : Une séance de plus sur le marché" in shown


async def test_the_mid_review_needs_a_session_of_the_investigation(make_app, data_dir):
    prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, InformationScreen)
        assert any("phase d'investigation : ce dossier n'en a aucun" in str(n.message)
                   for n in app._notifications)


async def test_a_read_only_window_writes_nothing(make_app, data_dir):
    dossier_id = prepare(data_dir)
    repository = Repository(data_dir)
    with repository.open(dossier_id):  # another window holds the dossier
        app = make_app()
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("a", "i")
            await pilot.pause()
            assert isinstance(app.screen, InformationScreen)
            await pilot.press("space", "a", "p", "r", "m")
            await pilot.pause()
            assert isinstance(app.screen, InformationScreen)  # no dialog opened
            assert "P pour" not in visible_text(pilot) and "R : enregistrer" not in visible_text(pilot)
    stored, dossier, _ = admin(data_dir, dossier_id)
    assert stored.information.ticked == () and stored.information.screening is None
    assert dossier.status is DossierStatus.OPEN


async def test_a_redirection_taken_back_reopens_the_dossier_after_a_confirmation(make_app, data_dir):
    dossier_id = prepare(data_dir)
    repository = Repository(data_dir)
    with repository.open(dossier_id) as handle:
        stored = handle.admin()
        handle.save_admin(stored.model_copy(update={"information": stored.information.with_screening(
            screening(ScreeningOutcome.CEP, TODAY, "projet encore flou"))}))
        handle.save_dossier(handle.dossier.model_copy(update={"status": DossierStatus.CLOSED, "closed_on": TODAY}))
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await open_information(pilot)
        before = visible_text(pilot)
        await pilot.press("f6")  # the beneficiary view shows the same administrative screen, under its banner
        await pilot.pause()
        after = visible_text(pilot)
        assert "VUE BÉNÉFICIAIRE" in after.splitlines()[0]
        assert after.splitlines()[1:] == before.splitlines()[1:]
        await pilot.press("f6")
        await pilot.press("a")
        await pilot.pause()
        await choose_outcome(pilot, ScreeningOutcome.BILAN)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ("Le dossier de Léa Martin est clos le 26/11/2026 (réorienté vers un CEP : projet encore flou). "
                "Le rouvrir") in visible_text(pilot)
        await pilot.press("n")  # not confirmed: nothing changes
        await pilot.pause()
        _, dossier, _ = admin(data_dir, dossier_id)
        assert dossier.status is DossierStatus.CLOSED
        await pilot.press("a")
        await pilot.pause()
        await choose_outcome(pilot, ScreeningOutcome.BILAN)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        stored, dossier, _ = admin(data_dir, dossier_id)
        assert (dossier.status, dossier.closed_on) == (DossierStatus.OPEN, None)
        assert stored.information.screening.outcome is ScreeningOutcome.BILAN
        assert "Statut du dossier : ouvert" in visible_text(pilot)
