"""Review of issue 10: a hand-edited table « administratif » is refused whole, in French, never crashes.

Before the review: a logged session ending before its start (-3 h), a negative or huge split, a plan of
10^25 minutes all loaded and lowered or blew up the hours counted against the 24 h; a time zone on one
datetime of the ledger or the planning raised TypeError from the home screen and from ``open``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilan_tui.domain.models import Beneficiary
from bilan_tui.storage import DossierUnreadableError, Repository


def _logged(**changes: object) -> dict[str, object]:
    return {"id": "s1", "start": "2027-01-11T09:00:00", "end": "2027-01-11T12:00:00",
            "phases": ["preliminaire"], **changes}


def _planned(**changes: object) -> dict[str, object]:
    return {"id": "p1", "phase": "preliminaire", "start": "2027-01-11T09:00:00", "end": "2027-01-11T12:00:00",
            **changes}


HOSTILE = {
    "logged_end_before_start": {"hours": {"sessions": [_logged(start="2027-01-11T12:00:00",
                                                               end="2027-01-11T09:00:00")]}},
    "logged_over_midnight": {"hours": {"sessions": [_logged(end="2027-01-12T09:00:00")]}},
    "logged_zero_minutes": {"hours": {"sessions": [_logged(end="2027-01-11T09:00:00")]}},
    "logged_negative_split": {"hours": {"sessions": [_logged(split=[-5000])]}},
    "logged_huge_split": {"hours": {"sessions": [_logged(split=[10**30])]}},
    "logged_split_not_the_session": {"hours": {"sessions": [_logged(phases=["preliminaire", "investigation"],
                                                                    split=[60, 60])]}},
    "logged_time_zone": {"hours": {"sessions": [_logged(start="2027-01-11T09:00:00+01:00")]}},
    "plan_huge": {"hours": {"plan": {"preliminaire": 10**25}}},
    "plan_over_24_hours": {"hours": {"plan": {"investigation": 20 * 60}}},
    "planned_time_zone": {"plan": {"sessions": [_planned(start="2027-01-11T09:00:00+01:00")]}},
    "planned_time_zones_apart": {"plan": {"sessions": [
        _planned(), _planned(id="p2", start="2027-01-12T09:00:00+01:00", end="2027-01-12T12:00:00+01:00")]}},
    "agreement_year_9999": {"agreement": {"funding": "personnel", "signed_on": "9999-12-31"}},
    "first_contact_year_1": {"first_contact": "0001-01-01"},
}


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository(tmp_path / "data")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hand_edited_administrative_file_is_refused_in_french_and_left_untouched(repo, case):
    dossier = repo.create_dossier(Beneficiary(first_name="Marie", last_name="Dupont"), "Jean Conseil")
    path = repo.dossier_path(dossier.id)
    data = json.loads(path.read_text())
    data["administratif"] = {"1": {"file": HOSTILE[case]}}
    path.write_text(json.dumps(data))
    before = path.read_bytes()

    (entry,) = repo.rebuild_index()  # the home screen: listed with its reason, no TypeError / OverflowError
    assert entry.summary is None
    assert entry.error is not None and "dossier administratif (table « administratif ») endommagée" in entry.error
    with pytest.raises(DossierUnreadableError, match="administratif"):
        repo.open(dossier.id)
    assert path.read_bytes() == before
