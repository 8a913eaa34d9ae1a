"""Rules of sessions: a closed session takes no more answers; the next meeting agreed at its close.

A session is closed once its report is written. What it holds stays readable, but nothing may be
stored under its id afterwards: no answer, skip or acknowledgement, no new record for a note. What a
later session does to an earlier answer is not a write into the closed session: a dependent answer
marked « à revoir », a note added to it, the answer changed (it then carries the later session's id).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from bilan_tui.domain.answers import AnswerError, parse_date
from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import AnswerRecord, Session
from bilan_tui.domain.procedure.workdays import WEEKDAYS, holiday_name
from bilan_tui.domain.text import clean_text, is_blank, normalise_digits

CLOSED_SESSION = ("Cet entretien est clos (compte-rendu rédigé) : il se consulte, on n'y enregistre plus de "
                  "réponse. Démarrez un nouvel entretien avec S sur le dossier.")


def _written_into(before: AnswerRecord | None, after: AnswerRecord) -> bool:
    """Whether ``after`` records something new under its session, compared with ``before``.

    Marking an answer « à revoir » and adding a note to an existing record are not: the answer
    itself (value, status, time, history, who answered) is unchanged.
    """
    if before is None or before.session_id != after.session_id:
        return True
    unchanged = after.model_copy(update={"status": before.status, "notes": before.notes})
    return unchanged != before


def closed_session_writes(before: InterviewState | None, after: InterviewState,
                          sessions: Iterable[Session]) -> list[str]:
    """The steps of ``after`` that would store something under a closed session (empty: none).

    ``before``: the interview as stored (None when the module run was never saved).
    """
    closed = {session.id for session in sessions if not session.is_open}
    if not closed:
        return []
    stored = before.answers if before is not None else {}
    return [step_id for step_id, record in after.answers.items()
            if record.session_id in closed and _written_into(stored.get(step_id), record)]


class MeetingError(ValueError):
    """A next meeting that cannot be recorded; the message is French, for the person."""

    def __init__(self, message: str, field: str = "date") -> None:
        super().__init__(message)
        self.field = field
        """The faulty part: ``date`` or ``time``."""


MEETINGS_OPEN = dt.time(8, 0)
MEETINGS_CLOSE = dt.time(18, 0)
"""Meetings of a bilan take place Monday to Friday, from 8:00 to 18:00 (the seed)."""


def parse_meeting(date_text: str, time_text: str, session_date: dt.date) -> tuple[dt.date | None, dt.time | None]:
    """The next meeting typed at the end of a session: a date (JJ/MM/AAAA) and, optionally, a time (HH:MM).

    Both empty: no next meeting (the last session). A time needs a date; the meeting cannot be
    before the session that sets it.
    """
    date_text, time_text = clean_text(date_text).strip(), clean_text(time_text).strip()
    if is_blank(date_text):
        if not is_blank(time_text):
            raise MeetingError("Prochain rendez-vous : indiquez la date (JJ/MM/AAAA) avec l'heure.")
        return None, None
    try:
        day = parse_date(date_text)
    except AnswerError as error:
        raise MeetingError(f"Prochain rendez-vous : {error}") from None
    if day < session_date:
        raise MeetingError(f"Prochain rendez-vous : le {day:%d/%m/%Y} est avant cette séance "
                           f"({session_date:%d/%m/%Y}).")
    holiday = holiday_name(day)
    if day.weekday() >= 5 or holiday:
        why = f"un {WEEKDAYS[day.weekday()]}" if day.weekday() >= 5 else f"férié ({holiday})"
        raise MeetingError(f"Prochain rendez-vous : le {day:%d/%m/%Y} est {why} ; les entretiens ont lieu du lundi "
                           "au vendredi, hors jours fériés.")
    if is_blank(time_text):
        return day, None
    hour = parse_time(time_text)
    if not MEETINGS_OPEN <= hour < MEETINGS_CLOSE:
        raise MeetingError(f"Prochain rendez-vous : {hour:%H:%M} est en dehors des heures des entretiens (de "
                           f"{MEETINGS_OPEN:%H:%M} à {MEETINGS_CLOSE:%H:%M}).", "time")
    return day, hour


def parse_time(text: str) -> dt.time:
    """``14:00``, ``14h``, ``14h30``, ``9:05``: an hour of the day, to the minute."""
    cleaned = normalise_digits(clean_text(text)).strip()
    match = re.fullmatch(r"([0-9]{1,2})\s*(?:[:hH.]\s*([0-9]{2})?)?", cleaned) if len(cleaned) <= 16 else None
    if match is None:
        raise MeetingError(f"Prochain rendez-vous : « {cleaned[:16]} » n'est pas une heure (exemples : 14:00, 9h30).",
                           "time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise MeetingError(f"Prochain rendez-vous : l'heure « {cleaned} » n'existe pas (de 00:00 à 23:59).", "time")
    return dt.time(hour, minute)
