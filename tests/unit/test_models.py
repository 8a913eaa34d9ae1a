"""Domain models that carry a rule of their own."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from bilan_tui.domain.models import Beneficiary, Dossier, Phase, Session


def test_a_session_starts_in_the_dossier_phase_at_the_minute():
    dossier = Dossier(id="d1", beneficiary=Beneficiary(first_name="Léa", last_name="Martin"),
                      phase=Phase.INVESTIGATION, created_at=dt.datetime(2026, 11, 2, 9, 0))
    session = Session.start(dossier, "  Explorer les intérêts \n", True, dt.datetime(2026, 11, 26, 14, 5, 42))
    assert session.phase is Phase.INVESTIGATION
    assert (session.date, session.start_time) == (dt.date(2026, 11, 26), dt.time(14, 5))
    assert session.objectives == "Explorer les intérêts" and session.objectives_agreed
    assert session.is_open and session.end_time is None
    assert Session.start(dossier, "x", False, dt.datetime(2026, 11, 26)).id != session.id


def test_a_beneficiary_needs_a_name_and_names_are_trimmed():
    assert Beneficiary(first_name=" Léa ", last_name="Martin").display_name == "Léa Martin"
    with pytest.raises(ValidationError):
        Beneficiary(first_name="", last_name="Martin")
