"""Consents for a third party, by keys: recorded with bad input refused and nothing lost, withdrawn after
confirmation, listed on the dossier in both views, refused in a read-only window, offered by the palette."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.command import CommandList
from textual.widgets import Checkbox, DataTable, Input
from textual.widgets._footer import FooterKey

from bilan_tui.domain.models import Beneficiary
from bilan_tui.domain.synthesis.model import Section, SectionKey, Synthesis
from bilan_tui.domain.synthesis.record import SynthesisError, SynthesisRecord
from bilan_tui.storage import Repository
from tests.tui.helpers import palette_pick, type_text, visible_text

NOW = dt.datetime(2026, 11, 26, 9, 30)  # the FakeClock's


def draft() -> Synthesis:
    return Synthesis(beneficiary="Léa Martin", drafted_on=NOW.date(),
                     sections=tuple(Section(key=key, title=key.heading) for key in SectionKey))


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def rows(pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one("#consents", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def footer(app) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


def stored(repository: Repository, dossier_id: str) -> SynthesisRecord:
    with repository.open(dossier_id, read_only=True) as handle:
        return handle.synthesis()


def with_consent(repository: Repository) -> str:
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul")
    record, _ = SynthesisRecord().add_consent(recipient="Cap emploi", sections=(SectionKey.PLAN,),
                                              given_on=NOW.date(), agreement="Léa Martin",
                                              expected_beneficiary="Léa Martin", now=NOW)
    with repository.open(dossier.id) as handle:
        handle.save_synthesis(record)
    return dossier.id


async def open_consents(pilot) -> None:
    await pilot.press("enter")  # the dossier
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_consent_is_recorded_by_keys_bad_input_refused_and_nothing_typed_lost(make_app, repository):
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), "Paul")
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Tiers : aucun consentement actif, aucun extrait ne peut être transmis." in visible_text(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConsentsScreen"
        assert "Aucun consentement enregistré" in visible_text(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert type(form).__name__ == "ConsentFormScreen"
        assert "« Moi, Léa Martin, j'accepte que les sections cochées" in visible_text(pilot)

        await save(pilot)  # nothing typed
        assert "Indiquez qui reçoit l'extrait" in visible_text(pilot)
        assert form.focused is form.query_one("#recipient")
        await type_text(pilot, "Cap emploi (Mme Roux)")
        await save(pilot)
        assert "Choisissez au moins une section à transmettre." in visible_text(pilot)
        assert form.focused is form.query_one("#section-circonstances")  # the first box
        await pilot.press("tab", "tab", "tab", "space")  # Compétences et aptitudes
        await pilot.press("tab", "tab", "tab", "tab", "tab", "space")  # Formation et plan d'action
        await save(pilot)
        assert "Le bénéficiaire doit taper son accord" in visible_text(pilot)
        assert form.focused is form.query_one("#agreement")
        await type_text(pilot, "Je ne suis pas d'accord")
        await save(pilot)
        assert "L'accord tapé contient une négation (« pas ») : le consentement n'est pas enregistré." \
            in visible_text(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Lea MARTIN")
        await pilot.press("shift+tab")  # back to the date
        assert form.focused is form.query_one("#given-on")
        await pilot.press("ctrl+u")
        await type_text(pilot, "31/02/2026")
        await save(pilot)
        assert "Date de l'accord : La date « 31/02/2026 » n'existe pas dans le calendrier." in visible_text(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "27/11/2026")
        await save(pilot)
        assert "est dans le futur" in visible_text(pilot)
        assert form.focused is form.query_one("#given-on")
        # everything typed is still there; nothing was stored
        assert form.query_one("#recipient", Input).value == "Cap emploi (Mme Roux)"
        assert form.query_one("#agreement", Input).value == "Lea MARTIN"
        checked = [box.id for box in form.query(Checkbox) if box.value]
        assert checked == ["section-competences", "section-plan"]
        assert stored(repository, dossier.id).consents == ()

        await pilot.press("ctrl+u")
        await type_text(pilot, "25/11/2026")
        await save(pilot)
        assert type(app.screen).__name__ == "ConsentsScreen"
        assert rows(pilot) == [["1", "Cap emploi (Mme Roux)", "Compétences et aptitudes, Formation et plan d'action",
                                "25/11/2026", "actif"]]
        assert "Consentement n° 1 enregistré : Cap emploi (Mme Roux)." in notifications(app)
        assert "Accord du bénéficiaire : « Lea MARTIN », donné le 25/11/2026" in visible_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert "Tiers : 1 consentement actif : Cap emploi (Mme Roux) (2 sections)." in visible_text(pilot)

    record = stored(repository, dossier.id)
    [consent] = record.active_consents()
    assert consent.given_on == dt.date(2026, 11, 25) and consent.recorded_at == NOW
    excerpt = record.excerpt("1", draft())
    assert [s.key for s in excerpt.sections] == [SectionKey.COMPETENCES, SectionKey.PLAN]


async def test_escape_cancels_the_form_and_records_nothing(make_app, repository):
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await open_consents(pilot)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Employeur")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConsentsScreen" and rows(pilot) == []
    assert stored(repository, dossier.id).consents == ()


async def test_a_consent_is_withdrawn_after_confirmation_and_excerpts_are_then_refused(make_app, repository):
    dossier_id = with_consent(repository)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Tiers : 1 consentement actif : Cap emploi (1 section)." in visible_text(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert rows(pilot)[0][4] == "actif"
        await pilot.press("r")
        await pilot.pause()
        assert "Retirer le consentement n° 1 (Cap emploi) ?" in visible_text(pilot)
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert rows(pilot)[0][4] == "actif"
        assert stored(repository, dossier_id).active_consents() != []
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert rows(pilot)[0][4] == "retiré le 26/11/2026"
        assert "Consentement n° 1 retiré : plus aucun extrait pour Cap emploi." in notifications(app)
        assert "Retiré le 26/11/2026 à 09:30" in visible_text(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert "Ce consentement a déjà été retiré le 26/11/2026." in notifications(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Tiers : aucun consentement actif (1 retiré), aucun extrait ne peut être transmis." \
            in visible_text(pilot)

    record = stored(repository, dossier_id)
    assert len(record.consents) == 1 and record.active_consents() == []
    with pytest.raises(SynthesisError, match="a été retiré le 26/11/2026"):
        record.excerpt("1", draft())


async def test_consents_stay_visible_in_the_beneficiary_view(make_app, repository):
    """The consents are the beneficiary's own decision: F6 hides none of it, not even the open form."""
    with_consent(repository)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert app.beneficiary_view
        assert "Tiers : 1 consentement actif : Cap emploi (1 section)." in visible_text(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert rows(pilot) == [["1", "Cap emploi", "Formation et plan d'action", "26/11/2026", "actif"]]
        assert "Accord du bénéficiaire : « Léa Martin »" in visible_text(pilot)
        await pilot.press("f6")  # back to the consultant view
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Employeur")
        await pilot.press("f6")  # the beneficiary reads the form: it stays, with what was typed
        await pilot.pause()
        assert type(app.screen).__name__ == "ConsentFormScreen"
        assert app.screen.query_one("#recipient", Input).value == "Employeur"


async def test_a_read_only_window_lists_consents_but_records_or_withdraws_none(make_app, repository):
    dossier_id = with_consent(repository)
    holder = repository.open(dossier_id)
    try:
        app = make_app()
        async with app.run_test(size=(130, 50)) as pilot:
            await open_consents(pilot)
            assert rows(pilot)[0][1] == "Cap emploi"
            assert "Nouveau consentement" not in footer(app) and "Retirer" not in footer(app)
            await pilot.press("n")
            await pilot.pause()
            assert type(app.screen).__name__ == "ConsentsScreen"
            await pilot.press("r")
            await pilot.pause()
            assert type(app.screen).__name__ == "ConsentsScreen"
    finally:
        holder.close()
    assert stored(repository, dossier_id).active_consents() != []


async def test_the_palette_opens_the_consents_and_records_one(make_app, repository):
    repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await palette_pick(pilot, "consentements tiers", "Consentements du bénéficiaire")
        assert type(app.screen).__name__ == "ConsentsScreen"
        await pilot.press("ctrl+p")
        await pilot.pause()
        commands = app.screen.query_one(CommandList)
        titles = {str(commands.get_option_at_index(i).prompt).splitlines()[0] for i in range(commands.option_count)}
        assert {"Enregistrer un consentement pour un tiers", "Retirer le consentement sélectionné"} <= titles
        await palette_pick(pilot, "enregistrer un consentement", "Enregistrer un consentement")
        assert type(app.screen).__name__ == "ConsentFormScreen"
