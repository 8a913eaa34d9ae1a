"""Text that enters: one normalisation of digits, blank texts seen as blank, escapes out of loaded data."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import AnswerRecord, Beneficiary, Dossier, Note, Session
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.text import clean_text, excerpt, is_blank, normalise_digits, too_long

TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J"
AT = "2026-11-26T09:30:00"


def no_escape(value: object) -> bool:
    text = repr(value)
    return not any(code in text for code in ("\\x1b", "\\x07", "\\x9b", "\\x1B"))


# -- the normalisation of digits ------------------------------------------------------------------


@pytest.mark.parametrize(("written", "ascii_form"), [
    ("٢٠١٥", "2015"),  # Arabic-Indic
    ("۲۰۱۵", "2015"),  # Extended Arabic-Indic (Persian, Urdu)
    ("२०१५", "2015"),  # Devanagari
    ("２０１５", "2015"),  # fullwidth
    ("𝟐𝟎𝟏𝟓", "2015"),  # mathematical bold
    ("０３／２０１５", "03/2015"),
    ("１２，５", "12,5"),
    ("١٢٫٥", "12,5"),  # the Arabic decimal separator
    ("−３", "-3"),
    ("2015", "2015"),
])
def test_digits_of_every_script_are_written_0_to_9(written, ascii_form):
    assert normalise_digits(written) == ascii_form


def test_letters_and_non_decimal_figures_are_left_alone():
    assert normalise_digits("Léa ² ① Ⅻ") == "Léa ² ① Ⅻ"


# -- blank, too long, quoted ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\u00a0\u202f\u3000", "\u200b\u200d\ufeff", "\u2800", "\u3164",
                                  "\x1b", " \x07 "])
def test_a_text_that_shows_nothing_is_blank(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", " . ", "0", "\x1b[2J"])
def test_a_text_with_something_to_see_is_not_blank(text):
    assert not is_blank(text)


def test_too_long_says_by_how_much_in_french():
    assert too_long("x" * 500, 500) is None
    assert too_long("x" * 20_001, 20_000) == "texte trop long (20\u202f001 caractères pour 20\u202f000 au plus)"


def test_an_excerpt_is_one_short_line_without_escapes():
    assert excerpt("court") == "court"
    shown = excerpt(CLEAR + "a\nb" + "c" * 500)
    assert len(shown) == 40 and shown.endswith("…") and "\x1b" not in shown and "\n" not in shown


# -- models loaded from a file lose their escape sequences ------------------------------------------


def test_a_beneficiary_loaded_with_escapes_keeps_the_rest_of_each_field():
    beneficiary = Beneficiary.model_validate({
        "first_name": f"Léa{TITLE}", "last_name": f"{CLEAR}Martin ", "email": f"lea{CLEAR}@exemple.fr",
        "phone": "06\x9b12", "situation_detail": f"Aide{TITLE}-soignante",
    })
    assert beneficiary.display_name == "Léa]0;PWNED [2JMartin"
    assert (beneficiary.email, beneficiary.phone) == ("lea[2J@exemple.fr", "0612")
    assert beneficiary.situation_detail == "Aide]0;PWNED-soignante"


def test_a_dossier_and_its_sessions_loaded_with_escapes_are_clean():
    dossier = Dossier.model_validate({
        "id": "d1", "beneficiary": {"first_name": "Léa", "last_name": "Martin"},
        "consultant": f"Paul{TITLE}", "created_at": AT,
    })
    assert dossier.consultant == "Paul]0;PWNED"
    session = Session.model_validate({
        "id": "s1", "date": "2026-11-26", "start_time": "09:30", "phase": "preliminaire",
        "objectives": f"Comprendre{CLEAR}\nla demande\x07",
        "report": {"results": f"Fait{TITLE}\n\tbien", "next_actions": [f"Lire{CLEAR}", "Appeler\x1b"],
                   "written_at": AT},
    })
    assert session.objectives == "Comprendre[2J\nla demande"
    assert session.report is not None
    assert session.report.results == "Fait]0;PWNED\n\tbien"
    assert session.report.next_actions == ("Lire[2J", "Appeler")


def test_an_answer_loaded_with_escapes_is_clean_in_its_value_revisions_notes_and_reason():
    record = AnswerRecord.model_validate({
        "step_id": "q", "status": "skipped", "skip_reason": f"autre{TITLE}", "at": AT, "flow_version": "1",
        "value": [{"poste": f"Cariste{CLEAR}", "debut": "2015-03", "n": 3}, f"a{TITLE}"],
        "revisions": [{"value": {"x": f"{CLEAR}ancien\nsur deux lignes"}, "status": "answered",
                       "answered_by": "beneficiary", "at": AT, "flow_version": "1"}],
        "notes": [{"text": f"Note{TITLE}\nprivée", "at": AT}],
    })
    assert record.value == [{"poste": "Cariste[2J", "debut": "2015-03", "n": 3}, "a]0;PWNED"]
    assert record.revisions[0].value == {"x": "[2Jancien\nsur deux lignes"}
    assert record.notes[0].text == "Note]0;PWNED\nprivée"
    assert record.skip_reason == "autre]0;PWNED"
    assert no_escape(record)


def test_an_interview_state_and_a_portfolio_loaded_with_escapes_are_clean():
    state = InterviewState.model_validate({
        "flow_id": "f", "answers": {"q": {"step_id": "q", "status": "answered", "value": f"Oui{CLEAR}", "at": AT,
                                          "flow_version": "1"}},
    })
    assert state.answers["q"].value == "Oui[2J"
    portfolio = Portfolio.model_validate({"items": [{
        "id": "i", "kind": "competence", "title": f"Souder{TITLE}", "details": [[f"Preuve{CLEAR}", "ligne\x1b\nsuite"]],
        "recheck": f"à voir{CLEAR}", "added_at": AT, "updated_at": AT,
    }]})
    item = portfolio.items[0]
    assert (item.title, item.details, item.recheck) == (
        "Souder]0;PWNED", (("Preuve[2J", "ligne\nsuite"),), "à voir[2J"
    )


def test_a_note_of_spaces_or_invisible_characters_is_refused():
    at = dt.datetime(2026, 11, 26, 9, 30)
    for text in ("   ", "\u00a0\n\t", "\u200b\u2800", "\x1b\x07"):
        with pytest.raises(ValidationError):
            Note(text=text, at=at)
    assert Note(text=" Rappeler ", at=at).text == " Rappeler "


def test_a_blank_note_stored_by_an_older_version_does_not_make_the_answer_unreadable():
    record = AnswerRecord.model_validate({
        "step_id": "q", "status": "pending", "at": AT, "flow_version": "1",
        "notes": [{"text": "   ", "at": AT}, {"text": "Utile", "at": AT}],
    })
    assert [note.text for note in record.notes] == ["Utile"]


@pytest.mark.parametrize("multiline", [False, True])
def test_bidirectional_overrides_are_removed_and_direction_marks_kept(multiline):
    # « Martin » written with a right-to-left override would display « nitraM »; an isolate could
    # disguise a name or a file name. The plain marks of right-to-left writing stay.
    assert clean_text("\u202eMartin\u202c", multiline=multiline) == "Martin"
    assert clean_text("a\u2066b\u2067c\u2068d\u2069e\u202af\u202bg\u202dh", multiline=multiline) == "abcdefgh"
    assert clean_text("\u200fسلام\u200e 12", multiline=multiline) == "\u200fسلام\u200e 12"


def test_a_typed_name_matches_whatever_the_case_accents_hyphens_and_order():
    from bilan_tui.domain.text import names_match

    for typed in ("Sophie Lemaire-Duval", "sophie lemaire duval", "LEMAIRE-DUVAL Sophie", "Sophie  Lémaire Duval"):
        assert names_match(typed, "Sophie Lemaire-Duval"), typed
    for typed in ("Sophie", "Lemaire", "Sophie Lemaire", "", "   ", "Sophia Lemaire-Duval"):
        assert not names_match(typed, "Sophie Lemaire-Duval"), typed
