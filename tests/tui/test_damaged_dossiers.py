"""Damaged dossiers and the data folder, through the real app: listed, explained, never a crash."""

from __future__ import annotations

import hashlib
import json
import os
import stat

from textual.widgets import DataTable

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import AnswerRecord, AnswerStatus, Beneficiary, Session
from tests.conftest import FIXED_NOW


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def rows(pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def damaged(repository, first: str, table: str) -> tuple[str, str]:
    """A dossier with a session and an interview, then one entry of ``table`` damaged; its sha256."""
    dossier = repository.create_dossier(Beneficiary(first_name=first, last_name="Abîmé"))
    answer = AnswerRecord(step_id="q1", value="oui", status=AnswerStatus.ANSWERED, at=FIXED_NOW, flow_version="1")
    with repository.open(dossier.id) as handle:
        handle.save_session(Session.start(dossier, "Faire connaissance", True, FIXED_NOW))
        handle.save_interview(InterviewState(flow_id="analyse_demande", answers={"q1": answer}))
    path = repository.dossier_path(dossier.id)
    data = json.loads(path.read_bytes())
    entry = next(iter(data[table].values()))
    entry["date" if table == "sessions" else "answers"] = "abîmé"
    path.write_text(json.dumps(data))
    return dossier.id, hashlib.sha256(path.read_bytes()).hexdigest()


async def test_damaged_dossiers_are_listed_with_their_reason_and_a_good_one_still_opens(make_app, repository):
    repository.create_dossier(Beneficiary(first_name="Ana", last_name="Lopez"))
    bad_sessions, sessions_sha = damaged(repository, "Bruno", "sessions")
    bad_interviews, interviews_sha = damaged(repository, "Chloé", "interviews")
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        listed = rows(pilot)
        assert listed[0][0] == "Ana Lopez"
        reasons = {row[0]: row[1] for row in listed[1:]}
        assert reasons == {
            f"{bad_sessions}.json":
                "⚠ Illisible : table des entretiens (« sessions ») endommagée (entrée 1, champ « date »)",
            f"{bad_interviews}.json":
                "⚠ Illisible : table des réponses aux modules (« interviews ») endommagée (entrée 1, champ « answers »)",
        }

        for row in (1, 2):
            await pilot.press(*["down"] * row, "enter")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "HomeScreen"  # refused, with the reason
            reason = listed[row][1].removeprefix("⚠ Illisible : ")
            assert f"Ce dossier est illisible ({reason}). Il n'a pas été modifié" in notifications(app)[-1]
            await pilot.press(*["up"] * row)

        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DossierScreen"
        assert "Ana Lopez" in app.screen.sub_title
    for dossier_id, sha in ((bad_sessions, sessions_sha), (bad_interviews, interviews_sha)):
        assert hashlib.sha256(repository.dossier_path(dossier_id).read_bytes()).hexdigest() == sha


async def test_a_data_folder_others_can_read_is_tightened_and_the_home_screen_says_so(make_app, data_dir):
    data_dir.mkdir()
    os.chmod(data_dir, 0o755)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        [notice] = notifications(app)
        assert f"Le dossier « {data_dir} » était accessible à d'autres utilisateurs (droits 0755)" in notice
        assert "restreints à 0700" in notice
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
