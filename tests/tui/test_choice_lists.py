"""Long choice lists show their end: a count that says which entries are shown and how many lie
below; card sorts offer « Autre (à préciser) », a card of one's own that later steps offer like the
others; the values cards include « Transmettre »."""

from __future__ import annotations

from textual.widgets import OptionList, SelectionList

from bilan_tui.domain.models import Beneficiary
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.persona import riasec_pages, run
from tests.tui.helpers import panel_text, pick_module, prepare, question, start_session, submit, type_text


def count_line(pilot, list_id: str) -> str:
    count = pilot.app.screen.query_one(f"#{list_id}-count")
    assert count.display, f"no count shown under #{list_id}"
    return str(count.content)


def offered(pilot, list_id: str) -> list[str]:
    options = pilot.app.screen.query_one(f"#{list_id}", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def stored(data_dir, dossier_id: str, flow_id: str):
    with Repository(data_dir).open(dossier_id, read_only=True) as handle:
        state = handle.interview(flow_id, "")
        assert state is not None
        return {step_id: record.value for step_id, record in state.answers.items()}


async def open_values(pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    await start_session(pilot, "Les valeurs")
    await pick_module(pilot, "Valeurs")
    await pilot.press("enter")  # the introduction
    await pilot.pause()
    assert "Quelles valeurs comptent" in question(pilot)


async def test_the_values_cards_show_their_end_and_the_last_one_transmettre_can_be_chosen(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await open_values(pilot)
        cards = pilot.app.screen.query_one("#answer-multi", SelectionList)
        assert cards.option_count == 20  # 19 cards and « Autre (à préciser) »
        shown = count_line(pilot, "answer-multi")
        assert shown.startswith("Propositions 1 à ") and " sur 20 · encore " in shown and "plus bas (↓)" in shown

        await pilot.press(*["down"] * 18)  # down to the last card
        await pilot.pause()
        assert "Transmettre" in str(cards.get_option_at_index(cards.highlighted or 0).prompt)
        shown = count_line(pilot, "answer-multi")
        first, last = (int(n) for n in shown.removeprefix("Propositions ").split(" sur ")[0].split(" à "))
        assert first > 1 and last >= 19  # the list has scrolled: the last cards are the ones shown
        await pilot.press("space", "1", "2")
        await submit(pilot)

        assert "Classez les valeurs" in question(pilot)
        assert offered(pilot, "answer-ranking") == [
            "1. Autonomie : organiser mon travail à ma façon", "2. Sécurité : un emploi stable",
            "3. Transmettre : partager ce que je sais, former d'autres personnes"]
    assert stored(data_dir, dossier_id, "valeurs")["valeurs"] == ["autonomie", "securite", "transmettre"]


async def test_a_card_of_ones_own_is_offered_in_the_ranking_and_reaches_the_portfolio(make_app, data_dir):
    dossier_id = prepare(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await open_values(pilot)
        await pilot.press("1", "2", "end", "space")  # « Autre (à préciser) », at the very end
        await pilot.pause()
        assert app.focused is pilot.app.screen.query_one("#answer-other")
        await type_text(pilot, "Être utile aux familles")
        await pilot.press("enter")
        await pilot.pause()
        cards = pilot.app.screen.query_one("#answer-multi", SelectionList)
        assert app.focused is cards
        assert "Être utile aux familles" in cards.selected  # ticked, like a card of the deck
        assert str(cards.get_option_at_index(19).prompt) == "20. Être utile aux familles"
        assert str(cards.get_option_at_index(20).prompt) == "21. Autre (à préciser)…"

        await pilot.press("end", "space")  # another one, typed as an existing card: that card is ticked
        await type_text(pilot, "transmettre")
        await pilot.press("enter")
        await pilot.pause()
        assert "transmettre" in cards.selected and cards.option_count == 21
        await submit(pilot)

        assert "Classez les valeurs" in question(pilot)
        assert offered(pilot, "answer-ranking")[-1] == "4. Être utile aux familles"
        await pilot.press("4", "1", "1")  # one's own card first, then Autonomie, Sécurité
        await submit(pilot)
        assert "Pourquoi ces valeurs" in question(pilot)
        assert "Être utile aux familles" in panel_text(pilot)

    answers = stored(data_dir, dossier_id, "valeurs")
    assert answers["valeurs"] == ["autonomie", "securite", "transmettre", "Être utile aux familles"]
    assert answers["valeurs_classement"] == ["Être utile aux familles", "autonomie", "securite"]


def _interests_until_cards(data_dir) -> str:
    """A dossier whose interests questionnaire is answered up to the card sort."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Nadia", last_name="Roux"))
    catalog = load_catalog()
    engine = Workbook(catalog.flows, [], JinjaExpressions()).engine(catalog.flows["interets"])
    with repository.open(dossier.id) as handle:
        handle.save_interview(run(engine, riasec_pages(engine), until="centres"))
    return dossier.id


async def test_the_thirty_interest_cards_and_the_rating_grids_say_how_many_they_hold(make_app, data_dir):
    dossier_id = _interests_until_cards(data_dir)
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Les intérêts")
        await pick_module(pilot, "Intérêts")
        assert "lesquels vous parlent" in question(pilot)
        shown = count_line(pilot, "answer-multi")
        assert shown.startswith("Propositions 1 à ") and " sur 31 · encore " in shown  # 30 cards and « Autre »
        await pilot.press("end")
        await pilot.pause()
        assert count_line(pilot, "answer-multi").endswith(" à 31 sur 31 · fin de la liste")
        await pilot.press("space")
        await type_text(pilot, "Réparer des vélos")
        await pilot.press("enter", "1")
        await submit(pilot)
        assert "Classez vos centres" in question(pilot)
        assert offered(pilot, "answer-ranking")[-1] == "2. Réparer des vélos"

        await pilot.press("f2", "f2")  # back to the last page of the questionnaire: a grid of ten
        await pilot.pause()
        assert "page 6 sur 6" in question(pilot)
        assert count_line(pilot, "answer-ratings") == "10 éléments · 10 notés sur 10"
    assert stored(data_dir, dossier_id, "interets")["centres"] == ["ci01", "Réparer des vélos"]
