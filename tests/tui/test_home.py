"""Home screen and dossier creation, driven by keys."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.helpers import create_dossier, type_text, visible_text


async def test_empty_home_then_create_dossier(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Aucun dossier pour l'instant" in visible_text(pilot)
        await create_dossier(pilot, "Léa", "Martin")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        row = [str(c) for c in table.get_row_at(0)]
        assert row[0] == "Léa Martin"
        assert row[1] == "Phase préliminaire"
    # The dossier is on disk, in its own file.
    assert len(list((data_dir / "dossiers").glob("*.json"))) == 1


async def test_form_refuses_missing_name_and_keeps_what_was_typed(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Léa")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Indiquez le nom du bénéficiaire." in visible_text(pilot)
        assert app.screen.query_one("#first_name").value == "Léa"
        assert app.focused.id == "last_name"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0


async def test_unreadable_dossier_is_listed_with_reason_and_left_untouched(make_app, repository):
    from bilan_tui.domain.models import Beneficiary

    dossier = repository.create_dossier(Beneficiary(first_name="Ana", last_name="Lopez"))
    repository.create_dossier(Beneficiary(first_name="Bob", last_name="Durand"))
    path = repository.dossier_path(dossier.id)
    damaged = path.read_bytes()[:40]
    path.write_bytes(damaged)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == "Bob Durand"
        assert rows[1][1].startswith("⚠ Illisible : contenu endommagé")
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
    assert path.read_bytes() == damaged


async def test_a_name_that_looks_like_markup_is_shown_as_typed(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await create_dossier(pilot, "[b]Zoé[/b]", "[red]Roux")
        row = [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        assert row[0] == "[b]Zoé[/b] [red]Roux"
        await pilot.press("enter")
        await pilot.pause()
        assert "[b]Zoé[/b] [red]Roux" in visible_text(pilot)


async def test_back_from_a_dossier_the_cursor_stays_on_it(make_app, repository):
    from bilan_tui.domain.models import Beneficiary

    for first in ("Ana", "Bob", "Chloé"):
        repository.create_dossier(Beneficiary(first_name=first, last_name="Durand"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.sub_title == "Bob Durand"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # the same dossier again, not the first of the list
        await pilot.pause()
        assert app.screen.sub_title == "Bob Durand"


async def test_the_beneficiary_view_of_the_home_screen_lists_only_the_dossier_worked_on(make_app, repository):
    from bilan_tui.domain.models import Beneficiary

    for first in ("Ana", "Bob", "Chloé"):
        repository.create_dossier(Beneficiary(first_name=first, last_name="Durand"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")  # nothing opened yet: no one is listed
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0
        assert "les dossiers des autres personnes sont masqués" in visible_text(pilot)
        await pilot.press("f6", "down", "enter")
        await pilot.pause()
        await pilot.press("f6", "escape")  # Bob's dossier, then the beneficiary view, then home
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Bob Durand"]
        assert "Ana" not in visible_text(pilot) and "Chloé" not in visible_text(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 3
