"""Crash safety where it matters: a process saving answers through the repository, killed at random.

A helper process, started once (imports paid once), forks one writer per round. The writer opens
the dossier through the :class:`Repository` and saves one more answer at a time with
``save_interview``, acknowledging each save on its standard output once the call returned. The test
kills the writer with SIGKILL at a random instant, then opens the dossier as the application does:
it must load, hold every acknowledged answer exactly as saved (and at most the one save in
flight), and no temporary file of the killed writer may survive that open.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bilan_tui.domain.models import Beneficiary
from bilan_tui.storage import Repository
from tests.conftest import THOROUGH

KILLS = 120 if THOROUGH else 40
"""About two kills in five land in the middle of a write: 40 kills give some 15 of them."""
FLOW = "parcours"

WRITER = textwrap.dedent('''
    import datetime as dt
    import os
    import sys
    import traceback
    from pathlib import Path

    from bilan_tui.domain.engine import InterviewState
    from bilan_tui.domain.models import AnswerRecord, AnswerStatus
    from bilan_tui.storage import Repository

    root, dossier_id, flow = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    AT = dt.datetime(2026, 11, 26, 9, 0)


    def answer(number):
        return AnswerRecord(step_id=f"q{number:05d}", value=f"réponse {number} " + "é" * 300,
                            status=AnswerStatus.ANSWERED, at=AT, flow_version="1.0.0")


    def write():
        handle = Repository(root).open(dossier_id)
        state = handle.interview(flow) or InterviewState(flow_id=flow)
        while True:
            state = state.with_record(answer(len(state.answers)), cursor=None)
            handle.save_interview(state)
            os.write(1, f"{len(state.answers)}\\n".encode())  # acknowledged: this many answers saved


    for _ in sys.stdin:  # one writer per line received
        pid = os.fork()
        if pid == 0:
            try:
                write()
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        os.write(1, f"pid {pid}\\n".encode())
        os.waitpid(pid, 0)
        os.write(1, b"dead\\n")
''')


def expected_value(number: int) -> str:
    return f"réponse {number} " + "é" * 300


def temporaries(repository: Repository) -> list[str]:
    return [p.name for p in repository.dossiers_dir.iterdir() if p.name.endswith(".tmp")]


def test_killing_a_process_saving_answers_never_loses_an_acknowledged_one(tmp_path: Path):
    repository = Repository(tmp_path / "donnees")
    dossier = repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"))
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    helper = subprocess.Popen(
        [sys.executable, str(script), str(repository.root), dossier.id, FLOW],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    assert helper.stdin is not None and helper.stdout is not None
    rng = random.Random(7)
    stored = 0  # answers in the file, as read by the test after the last kill
    killed_mid_write = 0
    try:
        for kill in range(KILLS):
            helper.stdin.write(b"go\n")
            helper.stdin.flush()
            acknowledged = stored
            line = helper.stdout.readline()
            while not line.startswith(b"pid "):
                acknowledged = int(line)
                line = helper.stdout.readline()
            pid = int(line.split()[1])
            for _ in range(rng.randint(0, 2)):  # let it save a few answers ...
                acknowledged = int(helper.stdout.readline())
            time.sleep(rng.uniform(0, 0.006))  # ... then kill it at a random instant (the delay, not a wait)
            os.kill(pid, signal.SIGKILL)
            for line in iter(helper.stdout.readline, b"dead\n"):
                assert line, "the helper process ended"
                acknowledged = int(line)  # written before the kill: acknowledged too

            if temporaries(repository):
                killed_mid_write += 1
            with repository.open(dossier.id) as handle:  # the kernel released the dead writer's lock
                state = handle.interview(FLOW)
                answers = state.answers if state else {}
                assert acknowledged <= len(answers) <= acknowledged + 1, f"kill {kill}"
                for number in range(len(answers)):
                    assert answers[f"q{number:05d}"].value == expected_value(number), f"kill {kill}, answer {number}"
                assert len(list(handle.interviews())) == (1 if answers else 0)
                assert temporaries(repository) == [], f"kill {kill}: a temporary file survived the open"
            [entry] = repository.list_dossiers()
            assert entry.summary is not None, entry.error
            stored = len(answers)
    finally:
        helper.kill()
        helper.wait()
    assert stored > KILLS // 2  # the writers did save between kills
    assert killed_mid_write > 0  # and some kills landed in the middle of a write
