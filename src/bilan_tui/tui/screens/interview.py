"""The interview: a chat transcript above, the current question and its input below.

Every change goes through the engine (pure) and is saved at once; if saving fails the screen
keeps the previous state and what was typed, and says why. What the beneficiary view shows is
decided by :mod:`bilan_tui.domain.privacy`; the screen is redrawn when the view changes.
"""

from __future__ import annotations

from typing import Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from bilan_tui.domain.answers import format_value
from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.flow import AnswerSpec, Flow, Step
from bilan_tui.domain.models import AnswerRecord, AnswerStatus, Note, Respondent, Session, SkipReason, Visibility
from bilan_tui.domain.plural import plural, word
from bilan_tui.domain.privacy import (
    HIDDEN_QUESTION,
    Audience,
    flow_notices_visible,
    hint,
    note_private,
    question_private,
    question_visible,
    visible_notes,
)
from bilan_tui.domain.workbook import Workbook, dossier_facts
from bilan_tui.storage import DossierHandle, StorageError
from bilan_tui.tui.access import AppAccess
from bilan_tui.tui.hours_sync import hours_panel
from bilan_tui.tui.portfolio_sync import sync_and_save
from bilan_tui.tui.widgets.answer_inputs import AnswerInput, InfoAnswer, LineAnswer, Submit, input_for
from bilan_tui.tui.widgets.bubbles import ANSWER, SECTION, AnswerBubble, Transcript
from bilan_tui.tui.widgets.keyed_list import Row
from bilan_tui.tui.widgets.portfolio_panel import PortfolioPanel

RESPONDENT_LABELS = {
    Respondent.BENEFICIARY: "Bénéficiaire",
    Respondent.CONSULTANT: "Consultant(e)",
    Respondent.BOTH: "Ensemble",
}


ANSWERING_ACTIONS = frozenset({"submit", "back", "pick_answer", "skip", "note", "finish_session"})
"""What is not offered where no answer may be typed."""


class InterviewScreen(AppAccess, Screen[None]):
    DEFAULT_CSS = """
    InterviewScreen #main { height: 1fr; }
    InterviewScreen #conversation { width: 1fr; }
    InterviewScreen #transcript { height: 1fr; padding: 0 1; }
    InterviewScreen #private-question { color: $text-muted; text-style: italic; height: auto; }
    InterviewScreen #prompt-area { height: auto; max-height: 60%; border-top: solid $primary; padding: 0 1; }
    InterviewScreen #question { text-style: bold; height: auto; }
    InterviewScreen #input-slot { height: auto; }
    InterviewScreen #help { color: $text-muted; height: auto; }
    InterviewScreen #consultant-hint { color: $text-error; height: auto; }
    InterviewScreen #status-line { height: 1; }
    InterviewScreen #status-line ProgressBar { width: 30; }
    InterviewScreen .section { text-style: bold italic; color: $text-muted; margin: 1 0; }
    InterviewScreen #prompt-area .-empty { display: none; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Valider", priority=True),
        Binding("f2", "back", "Retour", priority=True),
        Binding("f3", "pick_answer", "Modifier", tooltip="Choisir une réponse du fil pour la modifier", priority=True),
        Binding("f4", "skip", "Passer", priority=True),
        Binding("f5", "note", "Note", priority=True),
        Binding("f7", "toggle_panel", "Portefeuille", tooltip="Afficher ou masquer le portefeuille à droite",
                priority=True),
        Binding("f10", "finish_session", "Compte-rendu", tooltip="Fin de l'entretien : le compte-rendu", priority=True),
        Binding("escape", "leave", "Sortir"),
    ]

    def __init__(self, handle: DossierHandle, session: Session, flow: Flow, instance: str = "") -> None:
        super().__init__()
        self.handle = handle
        self.session = session
        self.flow = flow
        self.instance = instance
        self.pending_warning: tuple[str, Any] | None = None
        self.current_step: Step | None = None
        self.new_items: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        if self.handle.read_only:
            yield Static("Lecture seule : les réponses ne peuvent pas être modifiées ici.", classes="banner")
        elif not self.session.is_open:
            yield Static("Entretien clos (compte-rendu rédigé) : ses réponses se lisent, on n'y répond plus.",
                         classes="banner")
        with Horizontal(id="main"):
            with Vertical(id="conversation"):
                yield Transcript(id="transcript")
                with Vertical(id="prompt-area"):
                    yield Static(id="question", markup=False)
                    yield Static(id="help", markup=False)
                    yield Static(id="consultant-hint", markup=False)
                    yield Static(id="private-question", classes="-empty", markup=False)
                    yield Vertical(id="input-slot")
                    yield Static(id="message", markup=False)
                    with Vertical(id="status-line"):
                        yield Static(id="progress", markup=False)
            yield PortfolioPanel(id="panel")
        yield Footer()

    @property
    def writable(self) -> bool:
        """Whether answers may be typed here: not in a read-only window, not in a closed session."""
        return not self.handle.read_only and self.session.is_open

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Read-only or closed: the footer offers only what can be done (read, F6, F7, leave).
        return self.writable or action not in ANSWERING_ACTIONS

    def on_mount(self) -> None:
        self.workbook = Workbook(self.bilan.catalog.flows, self.handle.interviews(), self.bilan.expressions,
                                 dossier_facts(self.handle.dossier))
        self.engine = self.workbook.engine(self.flow)
        self.state = self.handle.interview(self.flow.id, self.instance) or self.engine.start(self.instance)
        self.portfolio = self.handle.portfolio()
        self.hours = self.handle.admin().hours  # the hours of the closed sessions: they change at the report
        self.refresh_all()
        self.watch(self.app, "beneficiary_view", lambda _: self._audience_changed(), init=False)

    def _audience_changed(self) -> None:
        """Redraw for the new audience; what is being typed stays in place."""
        self._render_transcript()
        self._render_prompt_texts()
        self._render_panel()
        self._report_expression_problems()
        widget = self._input()
        if widget is not None:
            self.call_after_refresh(widget.focus_input)

    # -- display -------------------------------------------------------------------------------

    def refresh_all(self) -> None:
        self._render_transcript()
        self._render_prompt()
        self._render_panel()
        self._report_expression_problems()

    def _report_expression_problems(self) -> None:
        """A flow expression that failed at run time is the consultant's to fix: said once each,
        and only to the consultant (held while the beneficiary view is on, said when it goes off)."""
        if not flow_notices_visible(self.bilan.audience):
            return
        for problem in self.engine.new_expression_problems():
            self.app.notify(problem.describe(), severity="warning", timeout=15, markup=False)

    def _render_panel(self) -> None:
        panel = self.query_one(PortfolioPanel)
        dossier = self.handle.dossier
        label = self.workbook.label(self.engine, self.state)  # a repeatable module is named by its answers
        self.sub_title = f"{dossier.beneficiary.display_name} · {label}"
        planned = dossier.planned(self.flow.id)
        phase = planned.phase if planned else self.flow.phase
        done, total = self.workbook.phase_progress(dossier, phase)
        text = Text()
        text.append(label, style="bold")
        text.append(f"\n{self.engine.progress(self.state).label}")
        text.append(f"\n{phase.label} : {done}/{total} {word(total, 'module terminé', 'modules terminés')}")
        for result in self.workbook.scores():
            if result.code_groups:
                text.append(f"\nCode {self.bilan.catalog.flows[result.flow_id].title.lower()} : {result.code}")
        text.append("\n\n")
        text.append_text(hours_panel(self.hours, self.session, self.workbook.session_phases(dossier, self.session),
                                     self.bilan.now()))
        panel.show_progress(text)
        panel.show(self.portfolio, self.new_items, self.bilan.audience)

    def _render_transcript(self) -> None:
        """Bring the transcript up to date: new messages are added, changed ones redrawn, the rest kept."""
        transcript = self.query_one("#transcript", Transcript)
        if self.focused is not None and transcript in self.focused.ancestors_with_self:
            # A removed bubble would hand the focus to the transcript after the input took it.
            self.set_focus(None)
        transcript.show(self._transcript_rows())

    def _transcript_rows(self) -> list[Row]:
        """Every message of the conversation, as far as the audience may see it."""
        rows: list[Row] = []
        path = self.engine.path(self.state)
        on_path = {s.id for s in path}
        for step in path:
            record = self.state.record(step.id)
            if record is None or record.status is AnswerStatus.PENDING:
                rows += self._note_rows(step, record, step.id)
                continue
            rows += self._exchange(step, record, step.id)
        off_path: list[Row] = []
        for step in self.flow.steps:
            if step.id not in on_path and self.state.record(step.id) is not None and step.is_question:
                off_path += self._exchange(step, cast(AnswerRecord, self.state.record(step.id)), f"off/{step.id}")
        if off_path:
            rows.append(Row("off", Text("Réponses hors du parcours actuel (conservées)"), "section", SECTION))
            rows += off_path
        return rows

    def _exchange(self, step: Step, record: AnswerRecord, key: str) -> list[Row]:
        """A question, its hint, its answer and its notes, as far as the audience may see them."""
        audience = self.bilan.audience
        if not question_visible(step, audience):
            return []
        # A consultant's question is styled as theirs (shown to the consultant only).
        private = " consultant-only" if question_private(step) else ""
        rows = [Row(f"{key}/prompt", Text(self.engine.prompt(step, self.state)), "assistant" + private)]
        step_hint = hint(step, audience)
        if step_hint:
            rows.append(Row(f"{key}/hint", Text("Note consultant : " + step_hint), "note consultant-only"))
        if step.is_question:
            rows.append(Row(f"{key}/answer", self._answer_text(step, record), self._answer_classes(record) + private,
                            ANSWER, step.id))
        rows += self._note_rows(step, record, key, all_private=bool(private))
        return rows

    def _answer_text(self, step: Step, record: AnswerRecord) -> Text:
        who = RESPONDENT_LABELS[record.answered_by]
        text = Text()
        text.append(f"{who} : ", style="bold")
        if record.status is AnswerStatus.SKIPPED or record.status is AnswerStatus.DEFERRED:
            reason = SkipReason(record.skip_reason).label if record.skip_reason and record.skip_reason in SkipReason._value2member_map_ \
                else (record.skip_reason or "")
            verb = "Reportée" if record.status is AnswerStatus.DEFERRED else "Passée"
            text.append(f"{verb} – {reason}", style="italic")
            return text
        text.append(format_value(self.engine.spec(step, self.state), record.value))
        if record.status is AnswerStatus.STALE:
            text.append("\n⚠ À revoir : une réponse dont elle dépend a changé (F3 pour modifier)", style="bold")
        if record.revisions:
            text.append(f"\n(modifiée {len(record.revisions)} fois)", style="dim")
        return text

    @staticmethod
    def _answer_classes(record: AnswerRecord) -> str:
        return "answer stale" if record.status is AnswerStatus.STALE else "answer"

    def _note_rows(self, step: Step, record: AnswerRecord | None, key: str, *, all_private: bool = False) -> list[Row]:
        rows: list[Row] = []
        for index, note in enumerate(visible_notes(step, record, self.bilan.audience)):
            private = note_private(note)
            label = "Note privée : " if private else "Note : "
            content = Text()
            content.append(label, style="bold")
            content.append(note.text)
            classes = "note consultant-only" if private or all_private else "note"
            rows.append(Row(f"{key}/note/{index}", content, classes))
        return rows

    def _render_prompt(self) -> None:
        step = self.engine.current(self.state)
        self.current_step = step
        self.pending_warning = None
        slot = self.query_one("#input-slot", Vertical)
        spec = self.engine.spec(step, self.state) if step is not None else None
        kept = self._input()
        if kept is None or step is None or not self._empty_for(kept, spec):
            slot.remove_children()
            kept = None
        progress = self.engine.progress(self.state)
        self.query_one("#progress", Static).update(Text(f"{self.flow.title} · {progress.label}"))
        self._say("")
        if step is None:
            stale = len(self.engine.stale_steps(self.state))
            done = "Parcours terminé. Merci !"
            if stale:
                done += f" {plural(stale, 'réponse à revoir', 'réponses à revoir')} : F3 pour {'la' if stale == 1 else 'les'} modifier."
            self._show("#question", done)
            self._show("#help", "F10 : rédiger ensemble le compte-rendu de la séance · Échap : revenir au dossier")
            self.set_focus(None)
            self._show("#consultant-hint", "")
            self._show("#private-question", "")
            slot.remove_class("-empty")
            return
        self._render_prompt_texts()
        if not self.writable:  # nothing offers to type an answer
            self._say("Lecture seule : aucune réponse ne peut être saisie ici. Échap : revenir.", "warning")
            return
        record = self.state.record(step.id)
        earlier = record is not None and record.status in (AnswerStatus.ANSWERED, AnswerStatus.STALE,
                                                           AnswerStatus.SKIPPED, AnswerStatus.DEFERRED)
        if kept is not None:
            if earlier:
                kept.prefill(cast(AnswerRecord, record).value)
            elif (known := self.engine.default(step, self.state)) is not None:
                kept.offer(known)
            if self.focused is None or kept not in self.focused.ancestors:
                self.call_after_refresh(kept.focus_input)
            return
        widget = input_for(spec, private=question_private(step))
        slot.mount(widget)
        if earlier:
            self.call_after_refresh(widget.prefill, cast(AnswerRecord, record).value)
        elif (known := self.engine.default(step, self.state)) is not None:  # a fact to confirm or complete
            self.call_after_refresh(widget.offer, known)

    @staticmethod
    def _empty_for(widget: AnswerInput, spec: AnswerSpec | None) -> bool:
        """Empty the input for a question that asks the same way (a line after a line): the same widget
        stays, with the focus, instead of a new one mounted. False when it must be replaced."""
        if type(widget) is not LineAnswer or spec is None or widget.spec != spec:
            return False
        widget.query_one(Input).clear()
        return True

    def _render_prompt_texts(self) -> None:
        """The current question, its help and the consultant's hint, as far as the audience may see them.

        A question the audience may not see is replaced by a line saying so, and its input (which
        may hold an earlier answer) is hidden, not removed: nothing typed is lost.
        """
        step = self.current_step
        if step is None:
            return
        audience = self.bilan.audience
        shown = question_visible(step, audience)
        record = self.state.record(step.id)
        editing = self.state.cursor is not None
        heading = "Modification – " if editing and record and record.status is not AnswerStatus.PENDING else ""
        if record and record.status is AnswerStatus.DEFERRED:
            heading = "Question reportée – "
        self._show("#question", heading + self.engine.prompt(step, self.state) if shown else "")
        help_text = step.help
        if step.asked_to is Respondent.BOTH:
            help_text = ("À construire ensemble. " + help_text).strip()
        self._show("#help", help_text if shown else "")
        step_hint = hint(step, audience)
        self._show("#consultant-hint", "Note consultant : " + step_hint if step_hint else "")
        self._show("#private-question", "" if shown else f"{HIDDEN_QUESTION} : F6 pour l'afficher.")
        self.query_one("#input-slot").set_class(not shown, "-empty")

    def _prompt_for(self, step: Step) -> str:
        """The question as the audience may read it (in a dialog about it)."""
        return self.engine.prompt(step, self.state) if question_visible(step, self.bilan.audience) else HIDDEN_QUESTION

    def _show(self, selector: str, text: str) -> None:
        """Fill a line of the prompt area; an empty line takes no room."""
        widget = self.query_one(selector, Static)
        widget.update(Text(text))
        # A class, not ``display``: an inline display would override the privacy switch's CSS rule.
        widget.set_class(not text, "-empty")

    def _say(self, message: str, kind: str = "error") -> None:
        widget = self.query_one("#message", Static)
        widget.set_class(kind == "error", "error-message")
        widget.set_class(kind == "warning", "warning-message")
        self._show("#message", message)

    def _input(self) -> AnswerInput | None:
        found = self.query_one("#input-slot", Vertical).query(AnswerInput)  # not the whole transcript
        return found.first() if found else None

    # -- changes -------------------------------------------------------------------------------

    def _commit(self, new_state: InterviewState, *, keep_input: bool = False) -> bool:
        """Save, then show. On failure the previous state and the typed input stay.

        ``keep_input``: the change does not move the interview (a note), so only the transcript
        is redrawn and what is being typed stays in place.
        """
        try:
            self.handle.save_interview(new_state)
        except (StorageError, OSError) as error:
            self._say(f"Non enregistré : {error}")
            return False
        self.state = new_state
        self.workbook = self.workbook.with_state(new_state)
        self._update_portfolio()
        if not keep_input:
            # The interview moves on: back to the latest messages (F3 had drawn them all).
            self.query_one("#transcript", Transcript).whole = False
            self.refresh_all()
            return True
        self._render_transcript()
        widget = self._input()
        if widget is not None:
            self.call_after_refresh(widget.focus_input)
        return True

    def _update_portfolio(self) -> None:
        """Bring the portfolio in step with the answers; the answer itself is already saved."""
        before = {item.id: item.content() for item in self.portfolio.items}
        portfolio, _ = sync_and_save(self.app, self.handle, self.workbook, self.bilan.now(), self.portfolio)
        self.new_items = {item.id for item in portfolio.active() if before.get(item.id) != item.content()}
        self.portfolio = portfolio

    def action_toggle_panel(self) -> None:
        panel = self.query_one(PortfolioPanel)
        panel.display = not panel.display

    @on(Submit)
    async def _on_submit(self, event: Submit) -> None:
        event.stop()
        await self.action_submit()

    async def action_submit(self) -> None:
        self._submit()
        # The next question is laid out once, with its new bubbles, rather than before and after they mount.
        await self.query_one("#transcript", Transcript).mounted()

    def _submit(self) -> None:
        step = self.current_step
        widget = self._input()
        if step is None or widget is None:
            return
        if not question_visible(step, self.bilan.audience):
            # Its input is hidden: nothing typed blind is saved, and no message echoes it.
            self._say(f"{HIDDEN_QUESTION} : F6 pour l'afficher et y répondre.", "warning")
            return
        now = self.bilan.now()
        if isinstance(widget, InfoAnswer):
            self._commit(self.engine.acknowledge(self.state, step.id, now=now, session_id=self.session.id))
            return
        raw = widget.raw()
        confirmed = self.pending_warning == (step.id, raw)
        outcome = self.engine.answer(self.state, step.id, raw, now=now, session_id=self.session.id,
                                     accept_warnings=confirmed)
        self._report_expression_problems()
        if outcome.errors:
            refusal = " ".join(outcome.errors)
            self._say(refusal)
            widget.show_problems(outcome.errors)  # to the faulty element and field, nothing typed lost
            # Under a long list form the message line can be out of sight: it is also said as a toast.
            self.app.notify(refusal, title="Réponse refusée", severity="error", timeout=10, markup=False)
            return
        if not outcome.recorded:
            self.pending_warning = (step.id, raw)
            self._say("⚠ " + " ".join(outcome.warnings) + " Validez à nouveau pour continuer.", "warning")
            return
        self._commit(outcome.state)

    def action_back(self) -> None:
        new_state = self.engine.back(self.state)
        if new_state.cursor == self.state.cursor:
            self._say("Vous êtes à la première question.", "warning")
            return
        self.state = new_state  # moving the cursor is not an answer: saved with the next change
        self.refresh_all()

    def action_pick_answer(self) -> None:
        transcript = self.query_one("#transcript", Transcript)
        if not transcript.whole:  # every answer can be picked, the oldest too
            transcript.whole = True
            self._render_transcript()
        self.call_after_refresh(self._focus_last_answer)

    def _focus_last_answer(self) -> None:
        bubbles = list(self.query(AnswerBubble))
        if not bubbles:
            self._say("Aucune réponse à modifier pour l'instant.", "warning")
            return
        bubbles[-1].focus()
        bubbles[-1].scroll_visible()
        self._say("↑↓ : choisir la réponse · Entrée : la modifier · Échap : revenir à la question", "warning")

    @on(AnswerBubble.EditRequested)
    def _edit(self, event: AnswerBubble.EditRequested) -> None:
        event.stop()
        if not self.writable:
            return
        self.state = self.engine.edit(self.state, event.step_id)
        self.refresh_all()

    def action_skip(self) -> None:
        step = self.current_step
        if step is None or not step.is_question:
            self._say("Il n'y a pas de question à passer ici.", "warning")
            return
        from bilan_tui.tui.screens.dialogs import SkipScreen

        def chosen(reason: SkipReason | None) -> None:
            if reason is None:
                return
            self._commit(self.engine.skip(self.state, step.id, reason, now=self.bilan.now(),
                                          session_id=self.session.id))

        dialog = SkipScreen(self._prompt_for(step), step.skip_reasons)
        private = not question_visible(step, Audience.BENEFICIARY)
        self.app.push_screen(self.bilan.dialog(dialog, consultant_only=private), chosen)

    def action_note(self) -> None:
        step = self.current_step or (self.engine.path(self.state)[-1] if self.engine.path(self.state) else None)
        if step is None:
            return
        from bilan_tui.tui.screens.dialogs import NoteScreen

        def written(result: tuple[str, Visibility] | None) -> None:
            if result is None:
                return
            text, visibility = result
            note = Note(text=text, visibility=visibility, at=self.bilan.now())
            self._commit(
                self.engine.add_note(self.state, step.id, note, now=self.bilan.now(), session_id=self.session.id),
                keep_input=True,
            )

        self.app.push_screen(NoteScreen(), written)

    def action_leave(self) -> None:
        focused = self.focused
        widget = self._input()
        if isinstance(focused, AnswerBubble) and widget is not None:  # leave the transcript, back to the question
            widget.focus_input()
            self._say("")
            return
        if self.state.cursor is not None:
            self.state = self.engine.resume(self.state)
            self.refresh_all()
            return
        self.app.pop_screen()

    def action_finish_session(self) -> None:
        if self.handle.read_only:
            self._say("Lecture seule : le compte-rendu ne peut pas être rédigé ici.")
            return
        from bilan_tui.tui.screens.report import ReportScreen

        def done(session: Session | None) -> None:
            if session is None:
                return
            self.session = session
            self.app.pop_screen()
            self.app.notify("Compte-rendu enregistré. L'entretien est clos.", markup=False)

        self.app.push_screen(ReportScreen(self.handle, self.session), done)
