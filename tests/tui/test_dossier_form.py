"""The dossier form by keys: Enter goes to the next field everywhere, the phone and the date of birth
are checked, the terms of the bilan are recorded, the record can be edited; no lock file after a quit."""

from __future__ import annotations

from textual.widgets import Input, Select

from bilan_tui.domain.models import Beneficiary, Contract, Funding, Situation, WorkingTime
from bilan_tui.storage import Repository
from tests.tui.helpers import create_dossier, fill_item, message, pick_module, start_session, type_text, visible_text


def stored_beneficiary(data_dir) -> Beneficiary:
    repository = Repository(data_dir)
    [entry] = repository.list_dossiers()
    with repository.open(entry.id, read_only=True) as handle:
        return handle.dossier.beneficiary


async def test_a_dossier_with_its_terms_by_keys_enter_going_to_the_next_field_everywhere(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert "Entrée : champ suivant · Espace ou F4 : ouvrir une liste" in visible_text(pilot)
        for text in ("Nadia", "Benali", "03/04/1982", "nadia@exemple.fr", "+33 6 12 34 56 78"):
            await type_text(pilot, text)
            await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "situation"
        await pilot.press("enter")  # the dropdown does not open: the next field
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "situation_detail"
        await pilot.press("shift+tab", "space", "down", "enter")  # Space opens it; Enter chooses
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "situation"
        assert app.screen.query_one("#situation", Select).value == Situation.JOB_SEEKER.value
        await pilot.press("enter")
        await type_text(pilot, "Inscrite depuis mars")
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "contract"
        assert app.screen.query_one("#contract", Select).is_blank()
        await pilot.press("f4", "down", "down", "down", "down", "down", "down", "enter")  # Non renseigné, CDI … Sans emploi
        await pilot.press("enter", "space", "down", "down", "down", "enter")  # funding: France Travail
        await pilot.press("enter", "space", "down", "down", "enter")  # working time: hors temps de travail
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "consultant"
        await type_text(pilot, "Paul")
        await pilot.press("enter")  # the last field saves
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
    person = stored_beneficiary(data_dir)
    assert person.birth_date is not None and person.birth_date.isoformat() == "1982-04-03"
    assert person.phone == "06 12 34 56 78"
    assert person.situation is Situation.JOB_SEEKER
    assert (person.contract, person.funding, person.working_time) == (
        Contract.NONE, Funding.FRANCE_TRAVAIL, WorkingTime.OUTSIDE)


async def test_a_phone_that_is_no_number_and_an_impossible_birth_are_refused_and_kept(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Nadia\nBenali\n01/05/2023\n\n<script>alert(1)</script>")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "le bénéficiaire aurait 3 ans" in visible_text(pilot)
        assert app.focused is not None and app.focused.id == "birth_date"
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "01/05/1896")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "l'année doit être comprise entre 1900 et 2100" in visible_text(pilot)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "01/05/1982")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Téléphone : « <script>alert(1)</script> » n'est pas un numéro de téléphone" in visible_text(pilot)
        # Also notified: on a short terminal the end of the form, where the message is, is out of sight.
        assert any(n.message.startswith("Téléphone : « <script>alert(1)</script> » n'est pas un numéro")
                   for n in app._notifications)
        assert app.focused is not None and app.focused.id == "phone"
        assert app.screen.query_one("#phone", Input).value == "<script>alert(1)</script>"
        assert app.screen.__class__.__name__ == "DossierFormScreen"
        app.screen.query_one("#phone", Input).value = "0612345678"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
    assert stored_beneficiary(data_dir).phone == "06 12 34 56 78"


async def test_an_unusual_age_is_questioned_then_saved_on_a_second_ctrl_s(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Nadia\nBenali\n01/01/1946")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ("⚠ Né(e) le 01/01/1946, le bénéficiaire a 80 ans : est-ce bien l'année de naissance ? "
                "Ctrl+S à nouveau pour enregistrer quand même.") in visible_text(pilot)
        assert Repository(data_dir).list_dossiers() == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
    assert str(stored_beneficiary(data_dir).birth_date) == "1946-01-01"


async def test_e_edits_the_record_of_an_open_dossier(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await create_dossier(pilot, "Nadia", "Benali")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert "Modifier la fiche" in visible_text(pilot)
        assert app.screen.query_one("#first_name", Input).value == "Nadia"
        await pilot.press("enter", "enter")  # to the date of birth
        await type_text(pilot, "03/04/1982")
        await pilot.press("enter", "enter")
        await type_text(pilot, "06 12 34 56 78")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierScreen"
        assert "Fiche enregistrée." in [n.message for n in app._notifications]
        assert "06 12 34 56 78" in visible_text(pilot)
        await pilot.press("e")  # filled in with what was saved
        await pilot.pause()
        assert app.screen.query_one("#birth_date", Input).value == "03/04/1982"
        await pilot.press("escape")
        await pilot.pause()
    person = stored_beneficiary(data_dir)
    assert (person.first_name, str(person.birth_date), person.phone) == ("Nadia", "1982-04-03", "06 12 34 56 78")


async def test_no_lock_file_is_left_after_a_clean_quit(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await create_dossier(pilot, "Nadia", "Benali")
        await pilot.press("enter")  # open: the dossier is locked
        await pilot.pause()
        assert len(list((data_dir / "dossiers").glob("*.lock"))) == 1
        await pilot.press("escape")  # closed: the lock file goes
        await pilot.pause()
        assert list((data_dir / "dossiers").glob("*.lock")) == []
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+q")  # quit with the dossier open
        await pilot.pause()
    assert list((data_dir / "dossiers").glob("*.lock")) == []


async def test_an_experience_ending_before_it_starts_is_refused_by_keys(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await create_dossier(pilot, "Nadia", "Benali")
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Retracer le parcours")
        await pick_module(pilot, "Parcours et récit de vie")
        await pilot.press("enter")  # introduction
        await pilot.pause()
        await fill_item(pilot, ["Aide-soignante", 1, "06/2015", "03/2012", "EHPAD"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ("Élément 1 – Fin : 03/2012 est avant « Début » (06/2015) : « Fin » ne peut pas précéder « Début ». "
                "Vérifiez les deux dates.") in message(pilot)
        assert "Quelles expériences" in str(app.screen.query_one("#question").content)
    repository = Repository(data_dir)
    [entry] = repository.list_dossiers()
    with repository.open(entry.id, read_only=True) as handle:
        assert handle.interview("parcours") is None or "experiences" not in handle.interview("parcours").answers
