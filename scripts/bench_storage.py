#!/usr/bin/env python3
"""Benchmark: the time to save one answer as the number of dossiers grows.

In a temporary folder, builds 10, 100 and 1 000 dossiers of 200 answers each and measures the
time to save one answer (median and p95) with bilan-tui's storage (one TinyDB file per dossier,
atomic and durable writes), next to:
- the baseline: one TinyDB file holding every dossier, with TinyDB's default JSON storage;
- a bare atomic write (temporary file, fsync, rename, fsync of the folder) of the same bytes.

Figures are printed as ratios measured in the same run. Run with:  .venv/bin/python scripts/bench_storage.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from bilan_tui.domain.engine import InterviewState
from bilan_tui.domain.models import AnswerRecord, AnswerStatus, Beneficiary
from bilan_tui.storage import Repository, atomic_write_bytes

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=60, help="saves measured per size (at least 50)")
    parser.add_argument("--baseline-saves", type=int, default=50, help="saves measured for the baseline")
    args = parser.parse_args()

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
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
