"""Rules of sessions: nothing lands in a closed session; the phases a session served and the dossier's
phase; the agreement on objectives; the next meeting set at the close."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bilan_tui.domain.engine import Engine, InterviewState
from bilan_tui.domain.models import (
    Beneficiary,
    Dossier,
    Note,
    Phase,
    PlannedModule,
    Session,
    SessionReport,
    SkipReason,
)
from bilan_tui.domain.sessions import MeetingError, closed_session_writes, parse_meeting
from bilan_tui.domain.workbook import Workbook
from bilan_tui.storage import Repository, StorageError

T0 = dt.datetime(2026, 11, 26, 9, 30)
DEMANDE = {"ad_circonstances": "Mon poste va être supprimé.", "ad_poste": "Aide-soignante"}


def dossier(**update: Any) -> Dossier:
    base = Dossier(id="d1", beneficiary=Beneficiary(first_name="Nadia", last_name="Roux"), created_at=T0)
    return base.model_copy(update=update)


def session(session_id: str, *, closed: bool = False, at: dt.datetime = T0, **update: Any) -> Session:
    report = SessionReport(results="Fait.", written_at=at + dt.timedelta(hours=1)) if closed else None
    return Session(id=session_id, date=at.date(), start_time=at.time(), phase=Phase.PRELIMINAIRE,
                   objectives="Faire le point", report=report, **update)


def answer_steps(engine: Engine, state: InterviewState, count: int, session_id: str,
                 at: dt.datetime = T0) -> InterviewState:
    """Go through ``count`` steps (or to the end) as the interview does, in ``session_id`` (texts typed,
    choices: the first)."""
    for _ in range(count):
        step = engine.current(state)
        if step is None:
            break
        if step.answer is None:
            state = engine.acknowledge(state, step.id, now=at, session_id=session_id)
            continue
        spec = engine.spec(step, state)
        assert spec is not None
        raw: Any = DEMANDE.get(step.id, "Une réponse")
        if spec.choices:
            raw = spec.choices[0].value if spec.type.value == "single" else [spec.choices[0].value]
        outcome = engine.answer(state, step.id, raw, now=at, session_id=session_id, accept_warnings=True)
        if not outcome.recorded:
            state = engine.skip(state, step.id, SkipReason.NOT_APPLICABLE, now=at, session_id=session_id)
        else:
            state = outcome.state
    return state


# -- a closed session takes nothing -----------------------------------------------------------------


def test_an_answer_under_a_closed_session_is_a_write_into_it(catalog, expressions):
    engine = Engine(catalog.flows["analyse_demande"], expressions)
    before = answer_steps(engine, engine.start(), 2, "s1")
    after = answer_steps(engine, before, 1, "s1")  # one more answer, after the report of s1
    assert closed_session_writes(before, after, [session("s1", closed=True)]) == [engine.current(before).id]
    assert closed_session_writes(before, after, [session("s1")]) == []  # still open: fine
    assert closed_session_writes(None, after, [session("s1", closed=True)]) == list(after.answers)


def test_a_later_session_may_change_mark_and_annotate_the_answers_of_a_closed_one(catalog, expressions):
    engine = Engine(catalog.flows["analyse_demande"], expressions)
    before = answer_steps(engine, engine.start(), 100, "s1")
    assert engine.current(before) is None  # the whole module, in s1
    closed = [session("s1", closed=True), session("s2", at=T0 + dt.timedelta(days=7))]
    later = T0 + dt.timedelta(days=7)
    # An answer changed in s2 carries s2; what depends on it is marked « à revoir », still under s1.
    [source] = [s for s in engine.flow.steps if s.id == "ad_attentes"]
    spec = engine.spec(source, before)
    assert spec is not None
    changed = engine.answer(engine.edit(before, "ad_attentes"), "ad_attentes", [spec.choices[1].value], now=later,
                            session_id="s2", accept_warnings=True)
    assert changed.recorded
    after = changed.state
    assert after.answers["ad_objectifs"].status.value == "stale" and after.answers["ad_objectifs"].session_id == "s1"
    # A note on an answer of s1, taken in s2.
    after = engine.add_note(after, "ad_circonstances", Note(text="À creuser", at=later), now=later, session_id="s2")
    assert closed_session_writes(before, after, closed) == []


def test_a_note_that_opens_a_record_under_a_closed_session_is_refused(catalog, expressions):
    engine = Engine(catalog.flows["analyse_demande"], expressions)
    before = answer_steps(engine, engine.start(), 1, "s1")
    step = engine.current(before)
    after = engine.add_note(before, step.id, Note(text="Tard", at=T0), now=T0, session_id="s1")
    assert closed_session_writes(before, after, [session("s1", closed=True)]) == [step.id]


def test_storage_refuses_an_answer_under_a_closed_session_and_keeps_the_file(repository, catalog, expressions):
    created = repository.create_dossier(Beneficiary(first_name="Nadia", last_name="Roux"))
    engine = Engine(catalog.flows["analyse_demande"], expressions)
    with repository.open(created.id) as handle:
        first = session("s1")
        handle.save_session(first)
        state = answer_steps(engine, engine.start(), 2, "s1")
        handle.save_interview(state)
        handle.save_session(first.model_copy(update={"report": SessionReport(results="Fait.", written_at=T0)}))
        late = answer_steps(engine, state, 1, "s1")
        with pytest.raises(StorageError, match="Cet entretien est clos"):
            handle.save_interview(late)
        assert handle.interview("analyse_demande") == state
        # The same answer in a new session is saved.
        handle.save_session(session("s2"))
        handle.save_interview(answer_steps(engine, state, 1, "s2"))
    with Repository(repository.root).open(created.id, read_only=True) as handle:
        stored = handle.interview("analyse_demande")
        assert {r.session_id for r in stored.answers.values()} == {"s1", "s2"}
        assert len(stored.answers) == 3


# -- phases -------------------------------------------------------------------------------------------


def workbook_of(catalog, expressions, *states: InterviewState) -> Workbook:
    return Workbook(catalog.flows, states, expressions)


def test_a_session_served_the_phases_of_the_modules_answered_in_it(catalog, expressions):
    demande = Engine(catalog.flows["analyse_demande"], expressions)
    parcours = Engine(catalog.flows["parcours"], expressions)
    d = dossier()
    book = workbook_of(catalog, expressions, answer_steps(demande, demande.start(), 3, "s1"),
                       answer_steps(parcours, parcours.start(), 1, "s2"))
    assert book.session_phases(d, session("s1")) == (Phase.PRELIMINAIRE,)
    assert book.session_phases(d, session("s2")) == (Phase.INVESTIGATION,)
    assert book.session_phases(d, session("s3")) == (Phase.PRELIMINAIRE,)  # nothing yet: where it started
    # Both modules in one session, in the order of the bilan.
    book = workbook_of(catalog, expressions, answer_steps(parcours, parcours.start(), 1, "s1"),
                       answer_steps(demande, demande.start(), 1, "s1"))
    assert book.session_phases(d, session("s1")) == (Phase.PRELIMINAIRE, Phase.INVESTIGATION)
    # The plan decides a module's phase.
    planned = dossier(modules=(PlannedModule(flow_id="analyse_demande", phase=Phase.INVESTIGATION),
                               PlannedModule(flow_id="parcours", phase=Phase.INVESTIGATION)))
    assert book.session_phases(planned, session("s1")) == (Phase.INVESTIGATION,)


def test_a_notes_only_record_is_no_work_on_a_module(catalog, expressions):
    parcours = Engine(catalog.flows["parcours"], expressions)
    noted = parcours.add_note(parcours.start(), "intro", Note(text="Prévoir", at=T0), now=T0, session_id="s1")
    assert workbook_of(catalog, expressions, noted).phases_worked(dossier(), session_id="s1") == ()


def test_phases_set_by_hand_or_recorded_at_the_close_stand():
    worked = (Phase.INVESTIGATION,)
    assert session("s1").served_phases(worked) == worked
    assert session("s1", phases=(Phase.CONCLUSION,), phases_by_hand=True).served_phases(worked) == (Phase.CONCLUSION,)
    # Recorded at the close: later edits of its answers (that move them to a later session) change nothing.
    assert session("s1", closed=True, phases=(Phase.PRELIMINAIRE,)).served_phases(()) == (Phase.PRELIMINAIRE,)
    # An older closed session without a record follows its answers.
    assert session("s1", closed=True).served_phases(worked) == worked


def test_the_dossier_phase_follows_the_latest_phase_worked_on_and_never_goes_back(catalog, expressions):
    demande = Engine(catalog.flows["analyse_demande"], expressions)
    parcours = Engine(catalog.flows["parcours"], expressions)
    only_demande = workbook_of(catalog, expressions, answer_steps(demande, demande.start(), 3, "s1"))
    assert only_demande.followed_phase(dossier()) is Phase.PRELIMINAIRE
    both = workbook_of(catalog, expressions, answer_steps(demande, demande.start(), 3, "s1"),
                       answer_steps(parcours, parcours.start(), 1, "s2"))
    assert both.followed_phase(dossier()) is Phase.INVESTIGATION
    # Going over a preliminary answer during the investigation keeps the investigation.
    assert only_demande.followed_phase(dossier(phase=Phase.INVESTIGATION)) is Phase.INVESTIGATION


def test_a_phase_set_by_hand_stays_until_later_work_in_a_later_phase(catalog, expressions):
    parcours = Engine(catalog.flows["parcours"], expressions)
    early = answer_steps(parcours, parcours.start(), 1, "s1", at=T0)
    by_hand = dossier(phase=Phase.PRELIMINAIRE, phase_set_at=T0 + dt.timedelta(hours=1))
    assert workbook_of(catalog, expressions, early).followed_phase(by_hand) is Phase.PRELIMINAIRE
    later = answer_steps(parcours, early, 1, "s2", at=T0 + dt.timedelta(days=7))
    assert workbook_of(catalog, expressions, later).followed_phase(by_hand) is Phase.INVESTIGATION
    # Set by hand to a later phase: earlier work does not pull it back.
    assert workbook_of(catalog, expressions, later).followed_phase(
        dossier(phase=Phase.CONCLUSION, phase_set_at=T0)) is Phase.CONCLUSION


def test_a_session_holds_only_the_answers_recorded_in_it_and_hides_the_consultants(catalog, expressions):
    from bilan_tui.domain.privacy import Audience

    parcours = Engine(catalog.flows["parcours"], expressions)
    state = answer_steps(parcours, parcours.start(), 100, "s1")
    private = [s.id for s in parcours.flow.steps if s.asked_to.value == "consultant" and s.id in state.answers]
    assert private, "parcours has a consultant-only question"
    book = workbook_of(catalog, expressions, state)
    [consultant] = book.session_modules(dossier(), "s1", Audience.CONSULTANT)
    [beneficiary] = book.session_modules(dossier(), "s1", Audience.BENEFICIARY)
    assert consultant.label == "Parcours et récit de vie" and consultant.phase is Phase.INVESTIGATION
    assert len(beneficiary.entries) == len(consultant.entries) - len(private)
    assert book.session_modules(dossier(), "s2", Audience.CONSULTANT) == []


# -- agreement and next meeting ------------------------------------------------------------------------


def test_the_reason_is_kept_only_when_the_objectives_were_not_agreed():
    d = dossier()
    refused = Session.start(d, "Explorer", False, T0, "  à revoir la prochaine fois ")
    assert refused.objectives_reason == "à revoir la prochaine fois"
    assert refused.agreement_label == "non acceptés : à revoir la prochaine fois"
    agreed = Session.start(d, "Explorer", True, T0, "sans objet")
    assert agreed.objectives_reason == "" and agreed.agreement_label == "acceptés"


def test_a_session_stored_before_these_fields_still_loads():
    stored = {"id": "s1", "date": "2026-11-26", "start_time": "09:30", "phase": "preliminaire",
              "objectives": "Faire le point", "objectives_agreed": True,
              "report": {"results": "Fait.", "next_actions": [], "written_at": "2026-11-26T10:30:00"}}
    loaded = Session.model_validate(stored)
    assert loaded.phases == () and not loaded.phases_by_hand and loaded.objectives_reason == ""
    assert loaded.report is not None and loaded.report.next_meeting is None
    assert Dossier.model_validate(dossier().model_dump(mode="json") | {"phase_set_at": None}).phase_set_at is None


@pytest.mark.parametrize(("day", "hour", "expected"), [
    ("03/12/2026", "14:00", (dt.date(2026, 12, 3), dt.time(14, 0))),
    ("3/12/2026", "9h30", (dt.date(2026, 12, 3), dt.time(9, 30))),
    ("03/12/2026", "14h", (dt.date(2026, 12, 3), dt.time(14, 0))),
    ("26/11/2026", "", (dt.date(2026, 11, 26), None)),
    ("", "", (None, None)),
])
def test_the_next_meeting_is_a_date_and_maybe_a_time(day, hour, expected):
    assert parse_meeting(day, hour, T0.date()) == expected


@pytest.mark.parametrize(("day", "hour", "field", "says"), [
    ("", "14:00", "date", "indiquez la date"),
    ("25/11/2026", "", "date", "est avant cette séance (26/11/2026)"),
    ("31/02/2027", "", "date", "n'existe pas dans le calendrier"),
    ("bientôt", "", "date", "n'est pas une date"),
    ("03/12/2026", "25:00", "time", "n'existe pas (de 00:00 à 23:59)"),
    ("03/12/2026", "midi", "time", "n'est pas une heure"),
    ("12/12/2026", "", "date", "le 12/12/2026 est un samedi ; les entretiens ont lieu du lundi au vendredi"),
    ("25/12/2026", "", "date", "est férié (Noël)"),
    ("03/12/2026", "7:30", "time", "07:30 est en dehors des heures des entretiens (de 08:00 à 18:00)"),
    ("03/12/2026", "18:00", "time", "en dehors des heures"),
])
def test_a_next_meeting_that_cannot_be_is_refused_in_french(day, hour, field, says):
    with pytest.raises(MeetingError) as refused:
        parse_meeting(day, hour, T0.date())
    assert says in str(refused.value)
    assert refused.value.field == field
    assert str(refused.value).startswith("Prochain rendez-vous : ")
