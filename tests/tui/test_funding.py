"""Funding and convention, by keys: the funding chosen (pre-selected from the record), a missing employer and a
bad price refused with nothing typed lost, the deadlines shown, a session refused before the signature and
allowed after, the convention exported without anything of the working file."""

from __future__ import annotations

import datetime as dt
import re

from pypdf import PdfReader
from textual.widgets import Input, Select
from textual.widgets._footer import FooterKey

from bilan_tui.domain.models import Beneficiary, Funding, Phase, WorkingTime
from bilan_tui.domain.procedure.convention import ConventionData
from bilan_tui.domain.procedure.funding import Agreement, Employer, FundingType
from bilan_tui.storage import Repository
from tests.synthesis_persona import PRIVATE, save_complete_bilan
from tests.tui.helpers import type_text, visible_text

D = dt.date  # the FakeClock's today: Thursday 26/11/2026


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def flat(text: str) -> str:
    """Every kind of space as a plain one (amounts use narrow no-break spaces)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def stored(repository: Repository, dossier_id: str):
    with repository.open(dossier_id, read_only=True) as handle:
        return handle.admin(), handle.dossier, handle.sessions()


def new_dossier(repository: Repository, funding: Funding | None = None, consultant: str = "Paul Durand") -> str:
    beneficiary = Beneficiary(first_name="Léa", last_name="Martin", funding=funding)
    return repository.create_dossier(beneficiary, consultant).id


def with_agreement(repository: Repository, dossier_id: str, agreement: Agreement) -> None:
    with repository.open(dossier_id) as handle:
        handle.save_admin(handle.admin().model_copy(update={"agreement": agreement}))


async def open_funding(pilot) -> None:
    await pilot.press("enter")  # the dossier
    await pilot.pause()
    await pilot.press("a", "f")  # Cadre du bilan, then Financement
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "FundingScreen"


async def choose(pilot, select_id: str, label: str) -> None:
    """Open the dropdown (focused or not) with Espace, go to ``label`` with ↓/↑, Entrée."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.press("space")
    await pilot.pause()
    overlay = select.query_one("SelectOverlay")
    prompts = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
    target = next(i for i, prompt in enumerate(prompts) if prompt.startswith(label))
    current = overlay.highlighted or 0
    await pilot.press(*(["down"] * (target - current) if target >= current else ["up"] * (current - target)))
    await pilot.press("enter")
    await pilot.pause()
    assert str(select.value) != str(Select.NULL)


async def fill(pilot, field_id: str, text: str) -> None:
    """Focus a field, empty it with keys (Ctrl+U deletes to its start), type ``text``."""
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)


def error(pilot) -> str:
    return str(pilot.app.screen.query_one("#error").content)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


# -- the agreement ---------------------------------------------------------------------------------------


async def test_funding_pre_selected_from_the_record_then_employer_required(make_app, repository):
    dossier_id = new_dossier(repository, Funding.PERSONAL)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        assert "Aucun financement enregistré." in visible_text(pilot)
        assert "proposé d'après la fiche : Financement personnel" in visible_text(pilot)
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "AgreementFormScreen"
        assert form.query_one("#funding", Select).value == FundingType.SELF_FUNDED.value
        assert not form.query_one("#employer-box").display  # a self-funded bilan has no employer
        await choose(pilot, "funding", "Employeur")
        assert form.query_one("#employer-box").display
        await fill(pilot, "sent-on", "20/11/2026")
        await save(pilot)
        assert app.screen is form  # refused: the form stays, with what was typed
        assert error(pilot) == "Indiquez l'employeur (raison sociale) : le financement par l'employeur le demande."
        assert app.focused is form.query_one("#employer-name")
        assert form.query_one("#sent-on", Input).value == "20/11/2026"
        assert stored(repository, dossier_id)[0].agreement is None
        await type_text(pilot, "Acme SA")
        await fill(pilot, "employer-contact", "Mme Roux, DRH")
        await save(pilot)
        assert type(app.screen).__name__ == "FundingScreen"
        shown = flat(visible_text(pilot))
        assert "Financement : Employeur (plan de développement des compétences)" in shown
        assert "Employeur : Acme SA (Mme Roux, DRH)" in shown
        assert "Réponse du salarié attendue au plus tard le lundi 30/11/2026" in shown  # 20/11 + 10 days
        assert "Réponse du salarié en attente" in shown  # the bilan may not start yet
    admin, dossier, _ = stored(repository, dossier_id)
    assert admin.agreement is not None and admin.agreement.funding is FundingType.EMPLOYER
    assert admin.agreement.employer is not None and admin.agreement.employer.representative == "Mme Roux, DRH"
    assert dossier.beneficiary.funding is Funding.EMPLOYER  # the record follows the agreement


async def test_cpf_during_working_time_needs_the_employer_too(make_app, repository):
    dossier_id = new_dossier(repository, Funding.CPF)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#funding", Select).value == FundingType.CPF.value
        assert not form.query_one("#employer-box").display  # outside working time: no employer at all
        await choose(pilot, "working-time", "Sur le temps de travail")
        assert form.query_one("#employer-box").display and form.query_one("#employer-dates").display
        await save(pilot)
        assert "un bilan CPF sur le temps de travail le demande" in error(pilot)
        assert stored(repository, dossier_id)[0].agreement is None
        await type_text(pilot, "Acme SA")
        await save(pilot)
        assert type(app.screen).__name__ == "FundingScreen"
    admin, dossier, _ = stored(repository, dossier_id)
    assert admin.agreement is not None and admin.agreement.working_time is WorkingTime.DURING
    assert dossier.beneficiary.working_time is WorkingTime.DURING


async def test_a_bad_price_is_refused_and_the_typed_text_kept(make_app, repository):
    dossier_id = new_dossier(repository, Funding.PERSONAL)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert flat(form.query_one("#price", Input).value) == "1 500,00"  # the default
        assert "1 800,00 € TTC (TVA 20 %)" in flat(str(form.query_one("#price-label").content))
        await fill(pilot, "signed-on", "10/11/2026")
        for typed, words in (("-1500", "ne peut pas être négatif"), ("mille euros", "n'est pas un montant"),
                             ("1.500", "ambigu")):
            await fill(pilot, "price", typed)
            await save(pilot)
            assert app.screen is form
            assert words in error(pilot)
            assert form.query_one("#price", Input).value == typed  # nothing typed is lost
            assert form.query_one("#signed-on", Input).value == "10/11/2026"
            assert app.focused is form.query_one("#price")
        assert stored(repository, dossier_id)[0].agreement is None
        await fill(pilot, "signed-on", "30/11/2026")
        await fill(pilot, "price", "1 250,50")
        await save(pilot)
        assert "dans le futur" in error(pilot) and app.focused is form.query_one("#signed-on")
        await fill(pilot, "signed-on", "10/11/2026")
        await save(pilot)
        assert type(app.screen).__name__ == "FundingScreen"
        assert "Prix : 1 250,50 € HT, soit 1 500,60 € TTC (TVA 20 %)" in flat(visible_text(pilot))
    agreement = stored(repository, dossier_id)[0].agreement
    assert agreement is not None and str(agreement.price.incl_tax) == "1500.60"


async def test_deadlines_shown_for_a_self_funded_bilan_and_the_thirty_percent_rule(make_app, repository):
    dossier_id = new_dossier(repository, Funding.PERSONAL)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        await pilot.press("m")
        await pilot.pause()
        await fill(pilot, "signed-on", "13/11/2026")  # 23/11 + ... : 13 + 10 = Monday 23/11/2026
        await save(pilot)
        shown = flat(visible_text(pilot))
        assert "Délai de rétractation jusqu'au lundi 23/11/2026 inclus (passée)" in shown
        assert "Premier paiement possible à partir du mardi 24/11/2026 : au plus 540,00 €" in shown
        assert "✓ Le bilan peut commencer aujourd'hui." in shown
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "600")
        await save(pilot)
        assert app.screen is form
        assert "Paiement refusé : 600,00 € payés avant le début du bilan : au plus 540,00 € (30 % du prix TTC)" in \
            flat(error(pilot))
        assert form.query_one("#amount", Input).value == "600"
        await fill(pilot, "amount", "540")
        await pilot.press("enter", "enter")  # to the date (today, filled in), then Enter on the last field saves
        await pilot.pause()
        visible_text_before = visible_text(pilot)
        shown = flat(visible_text_before)
        assert "• 26/11/2026 : 540,00 €" in shown and "reste dû : 1 260,00 € TTC" in shown
        await pilot.press("f6")  # the beneficiary reads the same: nothing here is the consultant's alone
        await pilot.pause()
        # The header line is the app's title (it says which view is on); the rest reads the same.
        assert app.beneficiary_view and "VUE BÉNÉFICIAIRE" in visible_text(pilot).split("\n", 1)[0]
        assert flat(visible_text(pilot).split("\n", 1)[1]) == flat(visible_text_before.split("\n", 1)[1])
    agreement = stored(repository, dossier_id)[0].agreement
    assert agreement is not None and [str(p.amount) for p in agreement.payments] == ["540.00"]


async def test_withdrawal_period_running_is_shown_with_the_first_possible_day(make_app, repository):
    dossier_id = new_dossier(repository)
    with_agreement(repository, dossier_id, Agreement(funding=FundingType.SELF_FUNDED, signed_on=D(2026, 11, 20)))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        shown = flat(visible_text(pilot))
        assert "Délai de rétractation jusqu'au lundi 30/11/2026 inclus" in shown
        assert "✗ Le bilan ne peut pas commencer aujourd'hui" in shown
        assert "première séance possible à partir du mardi 01/12/2026" in shown
        # Alsace-Moselle changes nothing here, but the box is offered and kept
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#alsace").focus()
        await pilot.press("space")
        await save(pilot)
    agreement = stored(repository, dossier_id)[0].agreement
    assert agreement is not None and agreement.alsace_moselle


# -- the start of the bilan ------------------------------------------------------------------------------


async def test_a_session_is_refused_before_the_signature_and_allowed_after(make_app, repository):
    dossier_id = new_dossier(repository)
    with_agreement(repository, dossier_id, Agreement(funding=FundingType.EMPLOYER, employer={"name": "Acme SA"},
                                                     sent_on=D(2026, 11, 20)))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        dossier_screen = app.screen
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is dossier_screen  # no session form: refused
        [refusal] = [m for m in notifications(app) if "ne peut pas commencer" in m]
        assert "Réponse du salarié en attente : signature de la convention possible jusqu'au lundi 30/11/2026" \
            in refusal
        assert stored(repository, dossier_id)[2] == []
        # the signature recorded, by keys
        await pilot.press("a", "f", "m")
        await pilot.pause()
        await fill(pilot, "signed-on", "25/11/2026")
        await save(pilot)
        assert "✓ Le bilan peut commencer aujourd'hui." in visible_text(pilot)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is dossier_screen
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionStartScreen"
        assert "Aucun financement" not in visible_text(pilot)
        await type_text(pilot, "Comprendre la demande")
        await pilot.press("tab", "space", "ctrl+s")
        await pilot.pause()
    assert len(stored(repository, dossier_id)[2]) == 1


async def test_the_information_prealable_is_always_allowed(make_app, repository):
    dossier_id = new_dossier(repository)
    with_agreement(repository, dossier_id, Agreement(funding=FundingType.SELF_FUNDED))  # not signed
    with repository.open(dossier_id) as handle:
        handle.save_dossier(handle.dossier.model_copy(update={"phase": Phase.INFORMATION}))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionStartScreen"


async def test_without_any_funding_the_session_starts_with_a_warning(make_app, repository):
    dossier_id = new_dossier(repository)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionStartScreen"
        assert "Aucun financement enregistré : " in visible_text(pilot)
        assert "(Cadre du bilan, F)" in visible_text(pilot)
        await type_text(pilot, "Premier entretien")
        await pilot.press("tab", "space", "ctrl+s")
        await pilot.pause()
    assert len(stored(repository, dossier_id)[2]) == 1


# -- the convention --------------------------------------------------------------------------------------


async def test_convention_form_refuses_a_date_after_the_signature_start_and_a_bad_number(make_app, repository):
    dossier_id = new_dossier(repository)
    with_agreement(repository, dossier_id, Agreement(funding=FundingType.SELF_FUNDED, signed_on=D(2026, 11, 10)))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert any("Convention incomplète : Indiquez l'organisme prestataire." in m for m in notifications(app))
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Cabinet Horizon")
        await fill(pilot, "nda", "1175")
        await fill(pilot, "place", "Lyon")
        await fill(pilot, "period-start", "05/11/2026")
        await fill(pilot, "period-end", "28/02/2027")
        await save(pilot)
        assert "11 chiffres" in error(pilot) and app.focused is form.query_one("#nda")
        await fill(pilot, "nda", "11 75 12345 75")
        await save(pilot)
        assert app.screen is form
        assert error(pilot).startswith("La convention est signée le 10/11/2026, après le début du bilan indiqué "
                                       "(05/11/2026)")
        assert form.query_one("#place", Input).value == "Lyon"
        await fill(pilot, "period-start", "01/12/2026")
        await save(pilot)
        assert type(app.screen).__name__ == "FundingScreen"
        shown = flat(visible_text(pilot))
        assert "Numéro de déclaration d'activité : 11 75 12345 75" in shown
        assert "✓ Prête à exporter (X) : Contrat de bilan de compétences — Bilan de compétences." in shown
    data = stored(repository, dossier_id)[0].convention
    assert data.provider == "Cabinet Horizon, déclaration d'activité n° 11 75 12345 75"
    assert data.period_start == D(2026, 12, 1) and data.place == "Lyon"


async def test_convention_exported_as_pdf_with_nothing_of_the_working_file(make_app, repository, data_dir):
    dossier_id = save_complete_bilan(repository)  # Sophie's bilan: answers and notes carry ZZPRIVE markers
    assert PRIVATE in "".join(p.read_text(encoding="utf-8") for p in data_dir.rglob("*.json"))
    with repository.open(dossier_id) as handle:
        handle.save_admin(handle.admin().model_copy(update={
            "agreement": Agreement(funding=FundingType.SELF_FUNDED, signed_on=D(2026, 9, 21)),
            "convention": ConventionData(provider="Cabinet Horizon, déclaration d'activité n° 11 75 12345 75",
                                         place="Lyon", period_start=D(2026, 10, 5), period_end=D(2026, 12, 14)),
        }))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        assert PRIVATE not in visible_text(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormatScreen"
        await pilot.press("1")  # PDF
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "FundingScreen"
        [done] = [m for m in notifications(app) if m.startswith("Exporté (convention) : ")]
        assert "Dernier export (convention)" in visible_text(pilot)
        await pilot.press("x", "2")  # DOCX
        await app.workers.wait_for_complete()
        await pilot.pause()
    pdf = data_dir / "exports"
    [path] = list(pdf.glob("convention-*.pdf"))
    assert str(path) in done
    text = flat("\n".join(page.extract_text() for page in PdfReader(path).pages))
    assert "Contrat de bilan de compétences" in text and "Sophie Lemaire" in text
    assert "1 800,00 € TTC" in text
    assert "propriétaire exclusif" in text and "Confidentialité" in text
    assert "Délai de rétractation" in text and "11 75 12345 75" in text
    assert "Le bénéficiaire, Sophie Lemaire" in text
    assert PRIVATE not in text
    [docx] = list(pdf.glob("convention-*.docx"))
    from docx import Document

    words = flat("\n".join(p.text for p in Document(str(docx)).paragraphs))
    assert "propriétaire exclusif" in words and PRIVATE not in words


async def test_read_only_window_offers_no_writing_key(make_app, repository):
    dossier_id = new_dossier(repository)
    holder = repository.open(dossier_id)  # another window holds the dossier
    try:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await open_funding(pilot)
            assert app.screen.handle.read_only
            keys = [key.description for key in app.screen.query(FooterKey)]
            assert "Financement" not in keys and "Paiement" not in keys and "Convention" not in keys
            assert "Exporter la convention" in keys
            await pilot.press("m", "p", "c")
            await pilot.pause()
            assert type(app.screen).__name__ == "FundingScreen"
    finally:
        holder.close()
    assert stored(repository, dossier_id)[0].agreement is None


def test_a_closed_or_suspended_dossier_starts_no_session_of_the_bilan():
    """Redirected (closed): no session at all; en réflexion (suspended): the information préalable only."""
    from bilan_tui.domain.models import Beneficiary, Dossier, DossierStatus, Phase
    from bilan_tui.domain.procedure.admin_file import AdministrativeFile
    from bilan_tui.domain.procedure.information import InformationRecord, ScreeningOutcome, screening
    from bilan_tui.tui.screens.funding import session_start_check

    today = dt.date(2026, 11, 26)
    base = Dossier(id="d", beneficiary=Beneficiary(first_name="Léa", last_name="Martin"),
                   created_at=dt.datetime(2026, 11, 20, 9))
    thinking = AdministrativeFile(information=InformationRecord().with_screening(
        screening(ScreeningOutcome.THINKING, today, call_back_on=dt.date(2026, 12, 3))))
    suspended = base.model_copy(update={"status": DossierStatus.SUSPENDED})
    refusal, _ = session_start_check(suspended, thinking, today)
    assert "suspendu (en réflexion, rappel le 03/12/2026)" in refusal and "ne commence qu'une fois" in refusal
    assert session_start_check(suspended.model_copy(update={"phase": Phase.INFORMATION}), thinking, today)[0] == ""
    closed = base.model_copy(update={"status": DossierStatus.CLOSED, "closed_on": today,
                                     "phase": Phase.INFORMATION})
    refusal, _ = session_start_check(closed, AdministrativeFile(), today)
    assert refusal.startswith("Ce dossier est clos le 26/11/2026 : aucun entretien n'y démarre.")
    assert session_start_check(base, AdministrativeFile(), today)[0] == ""


# -- the convention's period ------------------------------------------------------------------------------

HORIZON = "Cabinet Horizon, déclaration d'activité n° 11 75 12345 75"


async def test_a_period_starting_in_the_withdrawal_period_is_refused_with_the_first_allowed_day(make_app, repository):
    # Signed today, Thursday 26/11: withdrawal until Monday 07/12 (06/12 is a Sunday); the bilan starts 08/12.
    dossier_id = new_dossier(repository)
    with_agreement(repository, dossier_id, Agreement(funding=FundingType.SELF_FUNDED, signed_on=D(2026, 11, 26)))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Cabinet Horizon")
        await fill(pilot, "period-start", "01/12/2026")
        await fill(pilot, "period-end", "28/02/2027")
        await save(pilot)
        assert app.screen is form
        message = flat(error(pilot))
        assert message.startswith("La période commence le 01/12/2026, avant le premier jour possible : délai de "
                                  "rétractation de 10 jours jusqu'au lundi 07/12/2026 inclus")
        assert "elle commence au plus tôt le mardi 08/12/2026" in message
        assert app.focused is form.query_one("#period-start")
        assert form.query_one("#period-start", Input).value == "01/12/2026"   # nothing typed lost
        assert form.query_one("#provider", Input).value == "Cabinet Horizon"
        assert stored(repository, dossier_id)[0].convention.period_start is None
        await fill(pilot, "period-start", "08/12/2026")
        await save(pilot)
        assert type(app.screen).__name__ == "FundingScreen"
    assert stored(repository, dossier_id)[0].convention.period_start == D(2026, 12, 8)


async def test_a_stored_period_that_does_not_fit_is_shown_and_the_export_refused(make_app, repository, data_dir):
    dossier_id = new_dossier(repository)
    with repository.open(dossier_id) as handle:   # entered before these checks existed, or by another window
        handle.save_admin(handle.admin().model_copy(update={
            "agreement": Agreement(funding=FundingType.SELF_FUNDED, signed_on=D(2026, 11, 26)),
            "convention": ConventionData(provider=HORIZON, place="Lyon", period_start=D(2026, 11, 30),
                                         period_end=D(2027, 2, 28))}))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        shown = flat(visible_text(pilot))
        assert "Prête à exporter" not in shown
        assert "Période de réalisation à corriger avant l'export (C) :" in shown
        assert "⚠ La période commence le 30/11/2026, avant le premier jour possible" in shown
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "FundingScreen"   # no format asked: refused
        [refused] = [m for m in notifications(app) if m.startswith("Convention non exportée : ")]
        assert "au plus tôt le mardi 08/12/2026" in flat(refused) and "Corrigez la période (C)." in refused
    assert not list(data_dir.rglob("convention-*"))


async def test_sessions_held_outside_the_period_block_the_convention(make_app, repository, data_dir):
    dossier_id = save_complete_bilan(repository)   # sessions held from 05/10 to 30/11/2026
    with repository.open(dossier_id) as handle:
        handle.save_admin(handle.admin().model_copy(update={
            "agreement": Agreement(funding=FundingType.SELF_FUNDED, signed_on=D(2026, 9, 21)),
            "convention": ConventionData(provider=HORIZON, place="Lyon", period_start=D(2026, 10, 5),
                                         period_end=D(2026, 11, 16))}))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_funding(pilot)
        shown = flat(visible_text(pilot))
        assert "⚠ Une séance a eu lieu le 30/11/2026, après la fin de la période (16/11/2026)" in shown
        assert "Prête à exporter" not in shown
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "FundingScreen"
        assert any("Une séance a eu lieu le 30/11/2026" in m for m in notifications(app))
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        await fill(pilot, "period-end", "20/11/2026")
        await save(pilot)
        assert app.screen is form and app.focused is form.query_one("#period-end")
        assert "la période finit au plus tôt le jour de la dernière séance" in flat(error(pilot))
        await fill(pilot, "period-end", "14/12/2026")
        await save(pilot)
        assert type(app.screen).__name__ == "FundingScreen"
        assert "✓ Prête à exporter (X)" in flat(visible_text(pilot))
    assert stored(repository, dossier_id)[0].convention.period_end == D(2026, 12, 14)


def test_no_session_of_the_bilan_outside_the_convention_period_and_a_missing_information_is_said():
    from bilan_tui.domain.models import Beneficiary, Dossier
    from bilan_tui.domain.procedure.admin_file import AdministrativeFile
    from bilan_tui.domain.procedure.convention import ConventionData
    from bilan_tui.tui.screens.funding import session_start_check

    dossier = Dossier(id="d", beneficiary=Beneficiary(first_name="Tom", last_name="Girard"),
                      created_at=dt.datetime(2026, 11, 20, 9))
    signed = Agreement(funding=FundingType.EMPLOYER, employer=Employer(name="Transports Girard"),
                       sent_on=D(2026, 11, 16), signed_on=D(2026, 11, 26))
    admin = AdministrativeFile(agreement=signed, convention=ConventionData(
        period_start=D(2026, 11, 30), period_end=D(2027, 1, 29)))
    refusal, _ = session_start_check(dossier, admin, D(2026, 11, 28))
    assert refusal.startswith("La convention prévoit le bilan à partir du lundi 30/11/2026 : il ne commence pas avant.")
    refusal, warning = session_start_check(dossier, admin, D(2026, 12, 1))
    assert refusal == "" and "Information préalable incomplète (7 points sur 7 à présenter" in warning
    refusal, _ = session_start_check(dossier, admin, D(2027, 2, 1))
    assert "jusqu'au vendredi 29/01/2027 : cette date est passée" in refusal


async def test_a_session_started_on_a_saturday_evening_says_so(make_app, repository, clock):
    new_dossier(repository)
    clock.now = dt.datetime(2026, 11, 28, 21, 47)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "Horaire inhabituel (samedi 21:47) : les entretiens ont lieu du lundi au vendredi, de 8:00 à 18:00." \
            in visible_text(pilot)
