#!/usr/bin/env python3
"""Benchmark: from Enter on an answer to the next question, next to one typed key.

In a temporary data folder, this writes a module of 120 short text questions, creates a dossier
and a session, opens the interview in the application (headless, as the tests do) and answers
every question by keys through Textual's Pilot: each answer is typed key by key, then Enter.
Measured, as a person waits for it (the key is sent, then the application is idle again):
- one typed key (every key of every answer);
- Enter: from the key to the next question on screen, over the first 20 answers and over
  answers 101 to 120 (the transcript then holds 100 exchanges and more).

Figures are printed with their ratios, measured in the same run. Run with:
    .venv/bin/python scripts/bench_interview.py
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bilan_tui.domain.models import Beneficiary, Session
from bilan_tui.flows import load_catalog
from bilan_tui.storage import Repository
from bilan_tui.tui.app import BilanApp
from bilan_tui.tui.screens.interview import InterviewScreen

NOW = dt.datetime(2026, 11, 26, 9, 0)
FLOW_ID = "banc_essai"
TARGET_KEY_RATIO = 2.0  # Enter to the next question at most twice a typed key
TARGET_FLAT_RATIO = 1.2  # and no slower after 100 answers than over the first 20
BLOCK = 20


def flow_text(count: int) -> str:
    lines = [f"id: {FLOW_ID}", "title: Banc d'essai", 'flow_version: "1"', "phase: investigation", "steps:"]
    for number in range(1, count + 1):
        lines.append(f'  - {{id: q{number:03d}, prompt: "Question {number} : en un mot ?", answer: {{type: text}}}}')
    return "\n".join(lines) + "\n"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure(folder: Path, count: int) -> tuple[list[float], list[float]]:
    """Answer ``count`` questions by keys; the time of every typed key and of every Enter (ms)."""
    flows = folder / "flows"
    flows.mkdir()
    (flows / f"{FLOW_ID}.yaml").write_text(flow_text(count), encoding="utf-8")
    catalog = load_catalog([flows])
    if FLOW_ID not in catalog.flows:
        raise SystemExit(f"Module de mesure refusé : {[str(e) for e in catalog.refused]}")
    repository = Repository(folder / "donnees", clock=lambda: NOW)
    dossier = repository.create_dossier(Beneficiary(first_name="Banc", last_name="Essai"))
    app = BilanApp(repository=repository, catalog=catalog, clock=lambda: NOW, cursor_blink=False)
    keys: list[float] = []
    enters: list[float] = []
    with repository.open(dossier.id) as handle:
        session = Session.start(handle.dossier, "Mesure", True, NOW)
        handle.save_session(session)
        async with app.run_test(size=(130, 50)) as pilot:
            await pilot.pause()
            app.push_screen(InterviewScreen(handle, session, catalog.flows[FLOW_ID]))
            await pilot.pause()

            def question() -> str:
                return str(app.screen.query_one("#question").content)

            for number in range(1, count + 1):
                asked = question()
                if not asked.startswith(f"Question {number} "):
                    raise SystemExit(f"Question {number} attendue, l'écran montre : {asked!r}")
                for char in f"rep{number}":
                    start = time.perf_counter()
                    await pilot.press(char)
                    await pilot.pause()
                    keys.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                await pilot.press("enter")
                await pilot.pause()
                for _ in range(100):  # bounded: the next question is normally there already
                    if question() != asked:
                        break
                    await pilot.pause()
                enters.append((time.perf_counter() - start) * 1000)
            if "Parcours terminé" not in question():
                raise SystemExit(f"Le module devrait être terminé ; l'écran montre : {question()!r}")
    return keys, enters


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=120, help="questions in the module (at least 40)")
    args = parser.parse_args()
    if args.count < 2 * BLOCK:
        parser.error(f"--count : au moins {2 * BLOCK}")
    with tempfile.TemporaryDirectory() as folder:
        keys, enters = asyncio.run(measure(Path(folder), args.count))

    first, last = enters[:BLOCK], enters[-BLOCK:]
    last_label = f"réponses {args.count - BLOCK + 1}–{args.count}"
    key = statistics.median(keys)
    print(f"Module de {args.count} questions courtes, réponses tapées touche par touche (ms)")
    print(f"  une touche tapée ({len(keys)} touches)     médiane {key:7.1f}   p95 {percentile(keys, 0.95):7.1f}")
    for label, samples in ((f"réponses 1–{BLOCK}", first), (last_label, last)):
        print(f"  Entrée → question suivante, {label:<16} médiane {statistics.median(samples):7.1f}   "
              f"p95 {percentile(samples, 0.95):7.1f}   max {max(samples):7.1f}")

    worst = max(statistics.median(first), statistics.median(last))
    key_ratio = worst / key
    flat_ratio = statistics.median(last) / statistics.median(first)
    ok_key, ok_flat = key_ratio <= TARGET_KEY_RATIO, flat_ratio <= TARGET_FLAT_RATIO
    print("\nRapports")
    print(f"  Entrée (pire des deux médianes) / une touche       {key_ratio:5.2f}x   cible ≤ {TARGET_KEY_RATIO:g}   "
          f"{'OK' if ok_key else 'HORS CIBLE'}")
    print(f"  Entrée, {last_label} / réponses 1–{BLOCK}   {flat_ratio:5.2f}x   "
          f"cible ≤ {TARGET_FLAT_RATIO:g}   {'OK' if ok_flat else 'HORS CIBLE'}")
    return 0 if ok_key and ok_flat else 1


if __name__ == "__main__":
    sys.exit(main())
