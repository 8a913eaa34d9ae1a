"""Driving the app as a person would: keys only, and reading what the screen shows."""

from __future__ import annotations

from textual.command import CommandList
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from bilan_tui.domain.models import Beneficiary
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository
from tests.persona import run


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key (newlines as Enter), as on a keyboard."""
    await pilot.press(*["enter" if char == "\n" else char for char in text])


def _displayed(widget: Widget) -> bool:
    node: Widget | None = widget
    while isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


def visible_text(pilot: Pilot) -> str:
    """The text of the Statics a person can see on the current screen (hidden ones excluded)."""
    parts = []
    for widget in pilot.app.screen.query(Static):
        if _displayed(widget):
            content = widget.content
            parts.append(content.plain if hasattr(content, "plain") else str(content))
    return "\n".join(parts)


# -- steps of the interview, as a consultant does them ------------------------------------------


async def start_session(pilot, objectives: str) -> None:
    """On the dossier: a new session with its objectives, agreed; the module picker opens."""
    await pilot.press("s")
    await type_text(pilot, objectives)
    await pilot.press("tab", "space", "ctrl+s")  # agreed checkbox, then start
    await pilot.pause()


async def pick_module(pilot, label: str) -> None:
    """In the module picker, go down to the option that starts with ``label`` and open it."""
    options = pilot.app.screen.query_one("#module-choices")
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    index = next(i for i, prompt in enumerate(prompts) if prompt.startswith(label))
    await pilot.press(*["down"] * (index - (options.highlighted or 0)), "enter")
    await pilot.pause()


async def open_first_dossier_and_start(pilot, objectives: str = "Comprendre la demande") -> None:
    await pilot.press("enter")  # open the dossier
    await pilot.pause()
    await start_session(pilot, objectives)
    await pilot.press("enter")  # first flow: Analyse de la demande
    await pilot.pause()


async def create_dossier(pilot, first: str = "Léa", last: str = "Martin") -> None:
    await pilot.press("n")
    await type_text(pilot, first)
    await pilot.press("enter")
    await type_text(pilot, last)
    await pilot.press("ctrl+s")
    await pilot.pause()


def question(pilot) -> str:
    return str(pilot.app.screen.query_one("#question").content)


def message(pilot) -> str:
    return str(pilot.app.screen.query_one("#message").content)


async def submit(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


async def fill_item(pilot, values: list[str | int]) -> None:
    """Fill the fields of one list element in order and add it.

    A string is typed; a number ``n`` picks the n-th option of a drop-down (Entrée, n × ↓, Entrée).
    """
    for index, value in enumerate(values):
        if isinstance(value, int):
            await pilot.press("enter", *["down"] * value, "enter")
        else:
            await type_text(pilot, value)
        if index < len(values) - 1:
            await pilot.press("tab")
    await pilot.press("ctrl+o")
    await pilot.pause()


def panel_text(pilot) -> str:
    """What the portfolio side panel shows."""
    panel = pilot.app.screen.query_one("#panel")
    return "\n".join(str(w.content) for w in panel.query(Static) if _displayed(w))


def prepare(data_dir, *modules) -> str:
    """A dossier whose modules were answered (the set-up, not what is tested)."""
    repository = Repository(data_dir)
    dossier = repository.create_dossier(Beneficiary(first_name="Karim", last_name="Benali"))
    catalog = load_catalog()
    workbook = Workbook(catalog.flows, [], JinjaExpressions())
    with repository.open(dossier.id) as handle:
        for flow_id, answers in modules:
            engine = workbook.engine(catalog.flows[flow_id])
            # A repeatable module (one run per project) gets a fixed run name.
            state = run(engine, answers, engine.start("p1" if engine.flow.repeatable else ""))
            workbook = workbook.with_state(state)
            handle.save_interview(state)
    return dossier.id


async def palette_pick(pilot, typed: str, expected: str) -> None:
    """Type in the palette, wait for its search (it runs apart from the keys) to highlight ``expected``,
    then Enter: a person reads the list before pressing Enter."""
    await type_text(pilot, typed)
    commands = pilot.app.screen.query_one(CommandList)
    for _ in range(200):
        await pilot.pause(0.01)
        index = commands.highlighted
        if index is not None and expected in str(commands.get_option_at_index(index).prompt):
            break
    else:
        raise AssertionError(f"the palette never offered « {expected} » for « {typed} »")
    await pilot.press("enter")
    await pilot.pause()
