#!/usr/bin/env python3
"""Benchmark: the synthesis of a complete dossier, from the answers to every document.

Measured in one run, median and p95 over ``--runs`` rounds (10 by default) after one warm-up each;
in each round every line is timed once, after a garbage collection, so that the baseline and the
documents see the same machine:
- WeasyPrint rendering a one-page HTML that says "bonjour" (the baseline, same run, same machine);
- building the synthesis model and the dossier complet model from a complete dossier (Sophie's bilan
  of the tests with the longest lists the modules take: about 300 answers, 115 portfolio items);
- the synthesis as HTML, Markdown, DOCX and PDF, and the dossier complet as PDF.

Targets (issue 9): synthesis model under 50 ms; synthesis PDF under 1 s and at most 10 times the
one-page baseline; dossier complet PDF under 3 s. Exit code 1 when a target is missed.
Run after ``scripts/test`` (which installs the test dependencies):
    .venv/bin/python scripts/bench_synthesis.py
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bilan_tui.domain.synthesis.build import build_dossier_complet, build_synthesis  # noqa: E402
from bilan_tui.domain.synthesis.model import content_hash  # noqa: E402
from bilan_tui.rendering.documents import DocumentFormat, Renderer, Stamp  # noqa: E402
from tests.synthesis_persona import TODAY, big_bilan  # noqa: E402

TARGET_MODEL_S = 0.050
TARGET_PDF_S = 1.0
TARGET_PDF_RATIO = 10.0
TARGET_COMPLET_S = 3.0
BASELINE = "WeasyPrint, une page « bonjour »"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_interleaved(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Each action once per round, rounds one after the other, so that the baseline and the documents
    share the machine's state (load, caches); memory is collected before each timed call, so no action
    pays for the garbage another one left."""
    for action in actions.values():
        action()  # warm-up: imports, fonts, compiled templates
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            gc.collect()
            start = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = max(2, parser.parse_args().runs)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    warnings.simplefilter("ignore", DeprecationWarning)
    import weasyprint

    bilan = big_bilan()
    answers = sum(len(r.value) if isinstance(r.value, (list, dict)) else 1
                  for s in bilan.workbook.states.values() for r in s.answers.values() if r.value is not None)
    print(f"Dossier : {answers} réponses (éléments de listes compris), "
          f"{len(bilan.portfolio.items)} éléments de portefeuille ; {runs} mesures par ligne.\n")
    synthesis = build_synthesis(*bilan, today=TODAY)
    complet = build_dossier_complet(*bilan, today=TODAY)
    stamp = Stamp(version=1, date=TODAY, sha256=content_hash(synthesis))
    renderer = Renderer()
    figures = measure_interleaved({
        BASELINE: lambda: weasyprint.HTML(string="<p>bonjour</p>").write_pdf(),
        "Modèle de la synthèse": lambda: build_synthesis(*bilan, today=TODAY),
        "Modèle du dossier complet": lambda: build_dossier_complet(*bilan, today=TODAY),
        "Synthèse HTML": lambda: renderer.synthesis(synthesis, DocumentFormat.HTML, stamp),
        "Synthèse Markdown": lambda: renderer.synthesis(synthesis, DocumentFormat.MD, stamp),
        "Synthèse DOCX": lambda: renderer.synthesis(synthesis, DocumentFormat.DOCX, stamp),
        "Synthèse PDF": lambda: renderer.synthesis(synthesis, DocumentFormat.PDF, stamp),
        "Dossier complet PDF": lambda: renderer.dossier_complet(complet, stamp),
    }, runs)
    print(f"{'':<36} {'médiane':>10} {'p95':>10}")
    for name, samples in figures.items():
        print(f"{name:<36} {statistics.median(samples) * 1000:7.1f} ms {percentile(samples, 0.95) * 1000:7.1f} ms")
    baseline = statistics.median(figures[BASELINE])
    model = statistics.median(figures["Modèle de la synthèse"])
    pdf = statistics.median(figures["Synthèse PDF"])
    complet_pdf = statistics.median(figures["Dossier complet PDF"])
    ratio = pdf / baseline
    checks = [
        ("modèle de la synthèse", f"{model * 1000:.1f} ms", "< 50 ms", model < TARGET_MODEL_S),
        ("synthèse PDF", f"{pdf:.2f} s", "< 1 s", pdf < TARGET_PDF_S),
        ("synthèse PDF / page « bonjour »", f"{ratio:.1f} fois", "≤ 10 fois", ratio <= TARGET_PDF_RATIO),
        ("dossier complet PDF", f"{complet_pdf:.2f} s", "< 3 s", complet_pdf < TARGET_COMPLET_S),
    ]
    print("\nObjectifs (médianes)")
    for label, value, target, ok in checks:
        print(f"  {label:<34} {value:>10}   cible {target:<10} {'OK' if ok else 'MANQUÉ'}")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
