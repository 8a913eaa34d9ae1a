"""Correcting a list answer by keys: any element can be changed in place, removed (after
confirmation) or moved, and a refused list takes the person to the faulty element and field with
nothing typed lost."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Select

from bilan_tui.domain.models import Beneficiary
from bilan_tui.storage import Repository
from tests.persona import PARCOURS
from tests.tui.helpers import (
    fill_item,
    message,
    pick_module,
    prepare,
    question,
    start_session,
    submit,
    type_text,
    visible_text,
)

LEADS = ["Aide-soignante en EHPAD", "Formatrice d'adultes", "Accompagnante éducative"]


def stored(data_dir, dossier_id: str, flow_id: str, step_id: str):
    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        state = handle.interview(flow_id, "")
        assert state is not None
        return state.answers[step_id].value


def titles(data_dir, dossier_id: str) -> list[str]:
    return [lead["intitule"] for lead in stored(data_dir, dossier_id, "pistes", "projets")]


def field(pilot, field_id: str):
    return pilot.app.screen.query_one(f"#field-{field_id}")


def elements(pilot) -> list[str]:
    items = pilot.app.screen.query_one("#items", OptionList)
    return [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]


async def open_leads(pilot, leads=LEADS) -> None:
    """The dossier, a session, the leads module; the leads typed one by one (title only)."""
    await pilot.press("enter")
    await pilot.pause()
    await start_session(pilot, "Les pistes")
    await pick_module(pilot, "Pistes")
    await pilot.press("enter")  # the introduction
    await pilot.pause()
    assert "Quelles pistes" in question(pilot)
    for lead in leads:
        await fill_item(pilot, [lead])


async def to_element(pilot, number: int) -> None:
    """From the form, up into the list of elements (Maj+Tab), onto element ``number``."""
    await pilot.press("shift+tab")
    items = pilot.app.screen.query_one("#items", OptionList)
    assert pilot.app.focused is items
    await pilot.press("home", *["down"] * (number - 1))
    assert items.highlighted == number - 1


async def test_element_1_is_corrected_in_place_without_retyping_the_others(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await open_leads(pilot)
        await to_element(pilot, 1)
        await pilot.press("enter")  # element 1 back in the form
        await pilot.pause()
        assert field(pilot, "intitule").value == "Aide-soignante en EHPAD"
        assert app.focused is field(pilot, "intitule")
        assert "Modification de l'élément 1" in visible_text(pilot)
        await type_text(pilot, " de nuit")
        await pilot.press("tab")
        await type_text(pilot, "J1501")
        await pilot.press("ctrl+o")  # put back in its place
        await pilot.pause()
        assert field(pilot, "intitule").value == ""  # the form is ready for a new element
        assert elements(pilot)[0] == "1. Projet ou métier : Aide-soignante en EHPAD de nuit ; Code ROME : J1501"
        await submit(pilot)
        assert "Par quelle piste" in question(pilot)

    leads = stored(data_dir, dossier_id, "pistes", "projets")
    assert [lead["intitule"] for lead in leads] == ["Aide-soignante en EHPAD de nuit", *LEADS[1:]]
    assert leads[0]["code_rome"] == "J1501"


async def test_element_2_is_removed_only_after_confirmation(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await open_leads(pilot)
        await to_element(pilot, 2)
        await pilot.press("delete")
        await pilot.pause()
        assert "Retirer l'élément 2 de la liste ?" in visible_text(pilot)
        assert "Formatrice d'adultes" in visible_text(pilot)
        await pilot.press("n")  # no: nothing removed
        await pilot.pause()
        assert len(elements(pilot)) == 3
        await pilot.press("delete", "o")
        await pilot.pause()
        assert [e.split(" : ")[1] for e in elements(pilot)] == [LEADS[0], LEADS[2]]
        await submit(pilot)
        assert "Par quelle piste" in question(pilot)
    assert titles(data_dir, dossier_id) == [LEADS[0], LEADS[2]]


async def test_elements_are_reordered_with_ctrl_arrows(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await open_leads(pilot)
        await to_element(pilot, 3)
        await pilot.press("ctrl+up", "ctrl+up")  # the third becomes the first
        await pilot.pause()
        assert pilot.app.screen.query_one("#items", OptionList).highlighted == 0
        await pilot.press("down", "ctrl+down")  # then the (new) second goes last
        await submit(pilot)
        assert "Par quelle piste" in question(pilot)
    assert titles(data_dir, dossier_id) == [LEADS[2], LEADS[1], LEADS[0]]


async def test_a_refused_list_takes_the_cursor_to_the_faulty_field_and_keeps_what_was_typed(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Les pistes")
        await pick_module(pilot, "Pistes")
        await pilot.press("enter")
        await pilot.pause()
        await fill_item(pilot, [LEADS[0], "12345", "Le soin"])  # a code ROME that is not one
        await fill_item(pilot, [LEADS[1]])
        await fill_item(pilot, [LEADS[2]])
        await type_text(pilot, "Puéricultrice")  # a fourth, typed but not added yet
        await submit(pilot)

        assert message(pilot).startswith("Élément 1 – Code ROME : « 12345 » : un code ROME est")
        assert app.focused is field(pilot, "code_rome")  # on the faulty field of the faulty element
        assert field(pilot, "code_rome").value == "12345"
        assert field(pilot, "attrait").value == "Le soin"
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "J1501")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert field(pilot, "intitule").value == "Puéricultrice"  # the fourth is back in the form
        await submit(pilot)
        assert "Par quelle piste" in question(pilot)

    leads = stored(data_dir, dossier_id, "pistes", "projets")
    assert [lead["intitule"] for lead in leads] == [*LEADS, "Puéricultrice"]
    assert leads[0]["code_rome"] == "J1501" and leads[0]["attrait"] == "Le soin"


async def test_a_stored_element_comes_back_in_the_form_as_it_is_typed(make_app, data_dir):
    """An answered list, changed later (F3): months, dropdowns and texts of an element back in its fields."""
    dossier_id = prepare(data_dir, ("parcours", PARCOURS))
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Le parcours")
        await pick_module(pilot, "Parcours")
        await pilot.press("f3", "up", "up", "up", "enter")  # the experiences, three answers up from the last
        await pilot.pause()
        assert question(pilot).startswith("Modification – Quelles expériences")
        await to_element(pilot, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert field(pilot, "intitule").value == "Entraîneur de football"
        assert field(pilot, "nature").value == "benevolat"
        assert field(pilot, "debut").value == "03/2015"
        assert field(pilot, "contexte").value == "Club de quartier"
        assert isinstance(field(pilot, "nature"), Select) and isinstance(field(pilot, "debut"), Input)
        await submit(pilot)  # validated as it stands: nothing changed

    experiences = stored(data_dir, dossier_id, "parcours", "experiences")
    assert experiences[1]["debut"] == "2015-03" and experiences[1]["nature"] == "benevolat"


async def test_removing_a_consultant_only_element_is_cancelled_when_the_beneficiary_view_comes_on(make_app, data_dir):
    from bilan_tui.domain.engine import Engine
    from bilan_tui.flows import JinjaExpressions, load_catalog
    from tests.persona import run

    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Nadia", last_name="Roux"))
    engine = Engine(load_catalog().flows["competences"], JinjaExpressions())
    with repository.open(dossier.id) as handle:
        handle.save_interview(run(engine, {}, until="observations"))
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Les compétences")
        await pick_module(pilot, "Compétences")
        assert "observées pendant les séances" in question(pilot)
        await fill_item(pilot, ["Écoute active", 3, "Reformule sans juger"])
        await pilot.press("ctrl+r")  # on the element just added
        await pilot.pause()
        assert "Retirer l'élément 1 de la liste ?\nCompétence observée : Écoute active" in visible_text(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert "Écoute active" not in visible_text(pilot)
        assert "Retirer l'élément" not in visible_text(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert len(elements(pilot)) == 1  # nothing removed


async def test_enter_after_a_dropdown_choice_goes_on_without_losing_what_is_typed(make_app, data_dir):
    """Once a dropdown of an element has its choice, Entrée goes on as in the other fields: to the next
    field (what is typed lands there, not in a list reopened under it), or on the last field adds the element."""
    prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Le parcours")
        await pick_module(pilot, "Parcours")
        await pilot.press("enter")  # the introduction
        await pilot.pause()
        assert "Quelles expériences" in question(pilot)
        await type_text(pilot, "Assistante de direction")
        await pilot.press("enter", "enter", "down", "enter")  # the nature: the list opens, « Emploi » chosen
        await pilot.pause()
        assert field(pilot, "nature").value == "emploi"
        await pilot.press("enter")  # the choice made, Entrée goes on
        await type_text(pilot, "2010")
        await pilot.pause()
        assert not field(pilot, "nature").expanded
        assert field(pilot, "nature").value == "emploi"
        assert field(pilot, "debut").value == "2010"
