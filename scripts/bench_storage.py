#!/usr/bin/env python3
"""Benchmark: the time to save one answer as the number of dossiers grows; planning a bilan among 1 000.

In a temporary folder, builds 10, 100 and 1 000 dossiers of 200 answers each and measures the
time to save one answer (median and p95) with bilan-tui's storage (one TinyDB file per dossier,
atomic and durable writes), next to:
- the baseline: one TinyDB file holding every dossier, with TinyDB's default JSON storage;
- a bare atomic write (temporary file, fsync, rename, fsync of the folder) of the same bytes.

Then (``--part planning``, or both by default) the planner of the planning screen: one dossier's 8 sessions
proposed while the same consultant has 1 000 other dossiers of 8 planned sessions each (a full agenda: three
3-hour sessions a day, Thursday afternoons left free, so the planner searches). Measured as the screen does
it, from the 1 000 index summaries (filter by consultant, build the busy calendar, propose), next to:
- the baseline: the same plan with no other dossier (the planner alone);
- a naive planner that checks every candidate slot against every busy slot (no index).
Reading the index itself (``list_dossiers`` on a data folder of 1 001 real dossiers) is measured apart.

Figures are printed as ratios measured in the same run. Run with:  .venv/bin/python scripts/bench_storage.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import AnswerRecord, AnswerStatus, Beneficiary, DossierStatus, Phase
from bilan_tui.domain.procedure.calendar import BusyCalendar, is_working_day
from bilan_tui.domain.procedure.frame import FrameStatus
from bilan_tui.domain.procedure.planner import Plan, PlannedSession, propose_plan
from bilan_tui.storage import DossierEntry, DossierSummary, Repository, atomic_write_bytes
from bilan_tui.tui.screens.planning import consultant_busy

SIZES = (10, 100, 1000)
ANSWERS = 200
NOW = dt.datetime(2026, 11, 26, 9, 0)


def interview_with_answers(n: int) -> InterviewState:
    answers = {
        f"q{i:03d}": AnswerRecord(
            step_id=f"q{i:03d}",
            value=f"Réponse numéro {i} : une phrase ou deux, comme en écrit un bénéficiaire en séance.",
            status=AnswerStatus.ANSWERED,
            at=NOW,
            flow_version="1.0.0",
            session_id="s1",
        )
        for i in range(n)
    }
    return InterviewState(flow_id="bench", answers=answers)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(operation: Callable[[int], None], count: int) -> tuple[float, float]:
    samples = []
    for i in range(count):
        start = time.perf_counter()
        operation(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), percentile(samples, 0.95)


def build_folder(root: Path, size: int) -> tuple[Repository, str]:
    """``size`` dossiers of ANSWERS answers each, in bilan-tui's format."""
    repository = Repository(root)
    template = repository.create_dossier(Beneficiary(first_name="Modèle", last_name="Bench"))
    with repository.open(template.id) as handle:
        handle.save_interview(interview_with_answers(ANSWERS))
    raw = repository.dossier_path(template.id).read_text(encoding="utf-8")
    for i in range(size - 1):
        new_id = f"bench{i:07d}"
        (repository.dossiers_dir / f"{new_id}.json").write_text(raw.replace(template.id, new_id), encoding="utf-8")
    repository.rebuild_index()
    return repository, template.id


def bench_ours(root: Path, size: int, saves: int) -> tuple[float, float, bytes]:
    repository, dossier_id = build_folder(root, size)
    with repository.open(dossier_id) as handle:
        state = handle.interview("bench")
        assert state is not None

        def save(i: int) -> None:
            nonlocal state
            record = state.answers["q100"].model_copy(update={"value": f"Réponse modifiée {i}"})
            state = state.with_record(record, cursor=None)
            handle.save_interview(state)

        result = measure(save, saves)
    return (*result, repository.dossier_path(dossier_id).read_bytes())


def bench_baseline(root: Path, size: int, saves: int) -> tuple[float, float]:
    """One TinyDB file for all dossiers, default JSONStorage: every save rewrites everything."""
    document = {"dossier": f"d{0}", **json.loads(interview_with_answers(ANSWERS).model_dump_json())}
    path = root / "tous.json"
    content = {"dossiers": {str(i + 1): {**document, "dossier": f"d{i}"} for i in range(size)}}
    path.write_text(json.dumps(content), encoding="utf-8")
    db = TinyDB(path)
    table = db.table("dossiers", cache_size=0)

    def save(i: int) -> None:
        def change(doc: dict) -> None:
            doc["answers"]["q100"]["value"] = f"Réponse modifiée {i}"

        table.update(change, doc_ids=[1])  # one read and one rewrite of the whole file

    try:
        return measure(save, saves)
    finally:
        db.close()


def bench_bare(root: Path, data: bytes, saves: int) -> tuple[float, float]:
    path = root / "nu.json"
    return measure(lambda i: atomic_write_bytes(path, data), saves)


# -- planning among 1 000 dossiers of the same consultant ------------------------------------------------

OTHER_DOSSIERS = 1000
PLAN_NOW = dt.datetime(2026, 11, 26, 9, 30)
PLAN_START = dt.date(2026, 12, 1)
CONSULTANT = "Paul Durand"
TARGET_PLAN_MS = 50.0


def full_agenda(dossiers: int) -> list[tuple[tuple[dt.datetime, dt.datetime], ...]]:
    """``dossiers`` plans of 8 sessions filling the consultant's days from PLAN_START (8-11, 11-14, 14-17), but
    Thursday afternoons: one dossier's sessions are 8 consecutive slots."""
    slots: list[tuple[dt.datetime, dt.datetime]] = []
    day = PLAN_START - dt.timedelta(days=1)
    while len(slots) < dossiers * 8:
        if is_working_day(day):
            for hour in (8, 11) if day.weekday() == 3 else (8, 11, 14):
                start = dt.datetime.combine(day, dt.time(hour))
                slots.append((start, start + dt.timedelta(hours=3)))
        day += dt.timedelta(days=1)
    return [tuple(slots[i * 8:(i + 1) * 8]) for i in range(dossiers)]


def summaries(plans: list[tuple[tuple[dt.datetime, dt.datetime], ...]]) -> list[DossierEntry]:
    """The index entries of the consultant's other dossiers (their name written in several ways), and this one."""
    names = (CONSULTANT, "DURAND Paul", "paul durand", "Paul  Durand")
    entries = [DossierEntry(f"d{i:04d}", Path(f"d{i:04d}.json"), DossierSummary(
        id=f"d{i:04d}", beneficiary=f"Bénéficiaire {i}", consultant=names[i % len(names)], phase=Phase.INVESTIGATION,
        status=DossierStatus.OPEN, created_at=PLAN_NOW, frame=FrameStatus(phase=Phase.INVESTIGATION, busy=busy)))
        for i, busy in enumerate(plans)]
    entries.append(DossierEntry("moi", Path("moi.json"), DossierSummary(
        id="moi", beneficiary="Léa Martin", consultant=CONSULTANT, phase=Phase.PRELIMINAIRE, status=DossierStatus.OPEN,
        created_at=PLAN_NOW, frame=FrameStatus(phase=Phase.PRELIMINAIRE))))
    return entries


def naive_plan(spans: list[tuple[dt.datetime, dt.datetime]]) -> Plan:
    """The same schedule, every candidate checked against every busy slot (what an unindexed planner does).
    ``spans`` in the order of the index (by dossier name), not by date."""

    class Linear(BusyCalendar):
        def is_free(self, start: dt.datetime, end: dt.datetime, exclude: frozenset[str] = frozenset()) -> bool:
            return not any(s < end and start < e for s, e in spans)

    linear = Linear.from_spans((start, end, "") for start, end in spans)
    return propose_plan(start=PLAN_START, first_contact=PLAN_NOW.date(), now=PLAN_NOW, busy=linear)


def screen_plan(entries: list[DossierEntry]) -> Plan:
    """What the planning screen does on P: the busy calendar from the index summaries, then the planner."""
    others = consultant_busy(entries, CONSULTANT, "moi")
    return propose_plan(start=PLAN_START, first_contact=PLAN_NOW.date(), now=PLAN_NOW, busy=others.calendar)


def index_read(root: Path, plans: list[tuple[tuple[dt.datetime, dt.datetime], ...]], runs: int) -> tuple[float, float]:
    """``list_dossiers`` on a data folder of the 1 000 dossiers (real files, planned sessions stored) and one more."""
    repository = Repository(root)
    template = repository.create_dossier(Beneficiary(first_name="Modèle", last_name="Bench"), CONSULTANT)
    with repository.open(template.id) as handle:
        admin = handle.admin()
        plan = Plan(sessions=tuple(PlannedSession(id=f"p{n}", phase=Phase.INVESTIGATION, start=start, end=end)
                                   for n, (start, end) in enumerate(plans[0])))
        handle.save_admin(admin.model_copy(update={"plan": plan}))
    raw = repository.dossier_path(template.id).read_text(encoding="utf-8")
    for i in range(1, len(plans)):
        new_id = f"bench{i:07d}"
        (repository.dossiers_dir / f"{new_id}.json").write_text(raw.replace(template.id, new_id), encoding="utf-8")
    repository.create_dossier(Beneficiary(first_name="Léa", last_name="Martin"), CONSULTANT)
    entries = repository.rebuild_index()
    assert sum(1 for e in entries if e.summary is not None and e.summary.frame and e.summary.frame.busy) == len(plans)
    return measure(lambda i: repository.list_dossiers(), runs)


def bench_planning(runs: int) -> int:
    plans = full_agenda(OTHER_DOSSIERS)
    entries = summaries(plans)
    spans = [span for busy in plans for span in busy]
    random.Random(10).shuffle(spans)   # dossiers are listed by name, not by date
    ours = screen_plan(entries)
    naive = naive_plan(spans)
    assert len(ours.active) == 8
    assert [(s.start, s.end, s.phase) for s in ours.active] == [(s.start, s.end, s.phase) for s in naive.active]
    assert all(s.start.weekday() == 3 and s.start.time() == dt.time(14) for s in ours.active)  # the only free slots

    samples: dict[str, list[float]] = {"ours": [], "baseline": [], "naive": []}
    actions = {
        "ours": lambda: screen_plan(entries),
        "baseline": lambda: propose_plan(start=PLAN_START, first_contact=PLAN_NOW.date(), now=PLAN_NOW),
        "naive": lambda: naive_plan(spans),
    }
    for turn in range(runs):
        for key, action in actions.items():
            if key == "naive" and turn >= max(5, runs // 10):
                continue  # seconds each: a few turns tell enough
            begin = time.perf_counter()
            action()
            samples[key].append(time.perf_counter() - begin)
    work = Path(tempfile.mkdtemp(prefix="bilan-bench-plan-"))
    try:
        print(f"… {OTHER_DOSSIERS + 1} dossiers pour la lecture de l'index", file=sys.stderr, flush=True)
        sys.stderr.flush()
        index_median, index_p95 = index_read(work / "donnees", plans, 20)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ms = 1000.0
    figures = {key: (statistics.median(values), percentile(values, 0.95)) for key, values in samples.items()}
    print(f"\nPlanifier 8 entretiens, {OTHER_DOSSIERS} autres dossiers du même consultant ({len(spans)} entretiens ; "
          "médiane / p95, en ms)")
    rows = [
        ("bilan-tui : résumés de l'index → agenda → planning", figures["ours"]),
        ("référence : le planificateur seul, agenda vide", figures["baseline"]),
        ("planificateur naïf (chaque créneau contre chaque entretien)", figures["naive"]),
        (f"à part : lecture de l'index ({OTHER_DOSSIERS + 1} dossiers)", (index_median, index_p95)),
    ]
    for label, (median, p95) in rows:
        print(f"  {label:<62} {median * ms:8.2f} / {p95 * ms:8.2f}")
    ratio = figures["ours"][1] / figures["baseline"][1]
    naive_ratio = figures["naive"][1] / figures["ours"][1]
    checks = [
        ("bilan-tui, p95", f"{figures['ours'][1] * ms:.2f} ms", f"< {TARGET_PLAN_MS:g} ms",
         figures["ours"][1] * ms < TARGET_PLAN_MS),
        ("naïf / bilan-tui (p95)", f"{naive_ratio:.2f}x", "≥ 3", naive_ratio >= 3),
    ]
    print("\nRapports")
    for label, value, target, ok in checks:
        print(f"  {label:<40} {value:>10}   cible {target:<8} {'OK' if ok else 'HORS CIBLE'}")
    print(f"  {'bilan-tui / planificateur seul (p95)':<40} {ratio:>9.2f}x   (l'agenda de 8 000 entretiens)")
    return 0 if all(ok for *_, ok in checks) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=60, help="saves measured per size (at least 50)")
    parser.add_argument("--baseline-saves", type=int, default=50, help="saves measured for the baseline")
    parser.add_argument("--part", choices=("all", "answers", "planning"), default="all",
                        help="answers: saving an answer; planning: planning among 1 000 dossiers; all: both")
    parser.add_argument("--plans", type=int, default=60, help="plans measured (planning part)")
    args = parser.parse_args()
    planning_code = bench_planning(args.plans) if args.part in ("all", "planning") else 0
    if args.part == "planning":
        return planning_code

    results: dict[int, dict[str, tuple[float, float]]] = {}
    for size in SIZES:
        work = Path(tempfile.mkdtemp(prefix="bilan-bench-"))
        try:
            print(f"… {size} dossiers de {ANSWERS} réponses", file=sys.stderr, flush=True)
            ours_median, ours_p95, data = bench_ours(work / "donnees", size, args.saves)
            results[size] = {
                "ours": (ours_median, ours_p95),
                "bare": bench_bare(work, data, args.saves),
                "baseline": bench_baseline(work, size, args.baseline_saves),
            }
        finally:
            shutil.rmtree(work, ignore_errors=True)

    ms = 1000.0
    print(f"\nEnregistrer une réponse (dossiers de {ANSWERS} réponses ; médiane / p95, en ms)")
    print(f"{'dossiers':>9} | {'bilan-tui':>17} | {'écriture atomique nue':>21} | {'TinyDB, un seul fichier':>23}")
    for size, row in results.items():
        cells = [f"{row[k][0] * ms:7.2f} / {row[k][1] * ms:7.2f}" for k in ("ours", "bare", "baseline")]
        print(f"{size:>9} | {cells[0]:>17} | {cells[1]:>21} | {cells[2]:>23}")

    big, small = results[SIZES[-1]], results[SIZES[0]]
    scaling = big["ours"][1] / small["ours"][1]
    speedup = big["baseline"][1] / big["ours"][1]
    overhead = big["ours"][1] / big["bare"][1]
    checks = [
        (f"p95 à {SIZES[-1]} / p95 à {SIZES[0]} dossiers", scaling, "≤ 1,5", scaling <= 1.5),
        (f"référence TinyDB / bilan-tui à {SIZES[-1]} (p95)", speedup, "≥ 100", speedup >= 100),
        (f"bilan-tui / écriture atomique nue à {SIZES[-1]} (p95)", overhead, "≤ 10", overhead <= 10),
    ]
    print("\nRapports")
    for label, value, target, ok in checks:
        print(f"  {label:<48} {value:8.2f}x   cible {target:<6} {'OK' if ok else 'HORS CIBLE'}")
    return 0 if all(ok for *_, ok in checks) and planning_code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
