"""Every word on screen in French, and choices that come from what is already known, driven by keys."""

from __future__ import annotations

import re

from textual.app import App, ComposeResult
from textual.command import CommandInput, CommandList
from textual.widgets import Input, OptionList, Select
from textual.widgets._footer import FooterKey

from bilan_tui.domain.flow import AnswerType
from bilan_tui.domain.models import Beneficiary, Situation
from bilan_tui.flows import load_catalog
from bilan_tui.storage import Repository
from bilan_tui.tui.widgets.answer_inputs import input_for
from bilan_tui.tui.widgets.choice_select import placeholder_for
from tests.tui.helpers import palette_pick, pick_module, prepare, question, start_session, submit, type_text

ENGLISH = ("Dismiss", "Select", "Quit", "Theme", "Keys", "Screenshot", "Maximize", "Minimize", "Search",
           "palette", "menu", "esc", "Show", "Hide", "command", "No matches")
"""Words of Textual's own English that must not reach the screen."""


def _footer(app) -> list[str]:
    return [f"{key.key_display} {key.description}" for key in app.screen.query(FooterKey)]


def _english(texts: list[str]) -> list[str]:
    return [t for t in texts if any(re.search(rf"\b{word}\b", t) for word in ENGLISH)]


async def test_the_command_palette_offers_the_apps_actions_in_french_and_runs_one_by_keys(make_app, repository):
    repository.create_dossier(Beneficiary(first_name="Ana", last_name="Lopez"))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # open the dossier
        await pilot.pause()
        assert type(app.screen).__name__ == "DossierScreen"
        assert "Ctrl+P Actions" in _footer(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert palette.query_one(CommandInput).placeholder == "Rechercher une action…"
        commands = palette.query_one(CommandList)
        entries = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        titles = {entry.splitlines()[0] for entry in entries}
        assert {"Démarrer un entretien", "Ouvrir le portefeuille de compétences", "Composer le plan de modules",
                "Vue bénéficiaire : masquer ce qui est réservé au consultant", "Quitter l'application"} <= titles
        assert _english(entries) == []
        await palette_pick(pilot, "portefeuille", "Ouvrir le portefeuille de compétences")
        assert type(app.screen).__name__ == "PortfolioScreen"
        # The app's own action, from the palette of any screen.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await palette_pick(pilot, "vue beneficiaire", "Vue bénéficiaire")
        assert app.beneficiary_view



async def test_a_dropdown_and_its_open_list_say_nothing_in_english(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+c")  # Textual's « Do you want to quit? », said in French
        await pilot.pause()
        assert [(n.title, n.message) for n in app._notifications] == [
            ("Quitter ?", "Pour quitter : Ctrl+Q. Tout est déjà enregistré.")]
        await pilot.press("n")  # the dossier form, with its situation dropdown
        await pilot.pause()
        assert _english(_footer(app)) == []
        app.screen.query_one("#situation", Select).focus()
        await pilot.press("space")  # open the list
        await pilot.pause()
        assert app.screen.query_one("#situation", Select).expanded
        footer = _footer(app)
        assert "Échap Fermer la liste" in footer
        assert _english(footer) == []


async def test_no_dropdown_of_a_flow_has_a_placeholder_equal_to_an_option_or_in_english():
    """Every list field with choices, in every built-in flow (« Transférable » was both)."""
    specs = [step.answer for flow in load_catalog().flows.values() for step in flow.steps
             if step.answer is not None and step.answer.type is AnswerType.LIST
             and any(f.type is AnswerType.SINGLE and f.choices for f in step.answer.fields)]
    assert specs

    class Harness(App[None]):
        def compose(self) -> ComposeResult:
            for spec in specs:
                yield input_for(spec)

    app = Harness()
    async with app.run_test(size=(160, 200)) as pilot:
        await pilot.pause()
        selects = list(app.query(Select))
        assert len(selects) >= len(specs)
        for select in selects:
            options = {str(label) for label, _ in select._options}
            assert select.prompt not in options, select.prompt
            assert "Select" not in select.prompt


async def test_the_confrontation_project_is_picked_among_the_leads(make_app, data_dir):
    prepare(data_dir, ("pistes", {"projets": [{"intitule": "Formateur technique", "code_rome": "K2111"},
                                              {"intitule": "Technicien méthodes"}]}))
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Confronter les pistes")
        await pick_module(pilot, "Confrontation au marché — nouveau passage")
        assert "Quelle piste confrontons-nous au marché" in question(pilot)
        choices = app.screen.query_one("#answer-choice", OptionList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert labels == ["1. Formateur technique", "2. Technicien méthodes", "3. Un autre projet (à préciser)"]
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.sub_title.endswith("Confrontation au marché — Technicien méthodes")
        assert "Concrètement" in question(pilot)  # not asked to type the project again
        await pilot.press("escape")
        await pilot.pause()
        # Another project, typed: the run is named after it.
        await pilot.press("enter")
        await pilot.pause()
        await pick_module(pilot, "Confrontation au marché — nouveau passage")
        await pilot.press("3")
        await pilot.pause()
        assert "Quel projet confrontons-nous au marché" in question(pilot)
        await type_text(pilot, "Boulanger")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sub_title.endswith("Confrontation au marché — Boulanger")


async def test_the_situation_of_the_dossier_is_only_confirmed_or_completed(make_app, data_dir):
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Nadia", last_name="Roux", situation=Situation.EMPLOYED,
                                                    situation_detail="aide-soignante en EHPAD"))
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await start_session(pilot, "Comprendre la demande")
        await pick_module(pilot, "Analyse de la demande")
        await pilot.press("enter")  # welcome
        await pilot.pause()
        await type_text(pilot, "Mon poste d'aide-soignante me fatigue, je veux changer.")
        await submit(pilot)
        await pilot.press("1")  # the idea comes from me
        await pilot.pause()
        assert "Votre dossier indique : Salarié(e) (aide-soignante en EHPAD)" in question(pilot)
        await pilot.press("enter")  # confirmed as it is
        await pilot.pause()
        assert "Quel métier exercez-vous" in question(pilot)
        line = app.screen.query_one("#answer-line", Input)
        assert line.value == "aide-soignante en EHPAD"
        await type_text(pilot, ", service de nuit")
        await pilot.press("enter")
        await pilot.pause()
    with Repository(data_dir).open(dossier.id, read_only=True) as handle:
        state = handle.interview("analyse_demande")
        assert state.answers["ad_situation"].value == "salarie"
        assert state.answers["ad_poste"].value == "aide-soignante en EHPAD, service de nuit"



def test_a_placeholder_is_never_one_of_the_options_whatever_the_flow_says():
    assert placeholder_for("Transférable", ["Transférable", "Propre au métier"]) == "Transférable : à choisir"
    assert placeholder_for("", ["Oui", "Non"]) == "— choisir —"
    tricky = ["Nature : à choisir", "— Nature : à choisir —"]
    assert placeholder_for("Nature", tricky) not in tricky
    assert placeholder_for("", ["— choisir —"]) != "— choisir —"


async def test_a_full_list_says_its_count_in_the_singular_when_it_holds_one_element():
    from bilan_tui.domain.flow import AnswerSpec

    spec = AnswerSpec.model_validate({"type": "list", "max_items": 1, "fields": [{"id": "t", "label": "Titre"}]})

    class Harness(App[None]):
        def compose(self) -> ComposeResult:
            yield input_for(spec)

    app = Harness()
    async with app.run_test(size=(100, 20)) as pilot:
        app.query_one(Input).focus()
        await type_text(pilot, "Premier")
        await pilot.press("ctrl+o")
        await type_text(pilot, "Second")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1].startswith("La liste compte déjà 1 élément, le maximum")
