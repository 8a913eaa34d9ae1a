#!/usr/bin/env python3
"""Benchmark (skeleton): rendering the documents, next to WeasyPrint rendering a one-page "bonjour".

Measured in one run, median and p95 over ``--runs`` runs (10 by default), after one warm-up each:
- WeasyPrint rendering a one-page HTML that says "bonjour" (the baseline);
- the synthesis as HTML, Markdown, DOCX and PDF, and the dossier complet as PDF.

The synthesis is the fixture of the document tests (tests/documents_fixture.py: 12 sections, six
action steps, two profiles). TODO (issue 9): build it from a complete dossier (about 200 answers,
100 portfolio items) with the synthesis builder, and time the builder too (target under 50 ms).
Targets: synthesis PDF under 1 s and at most 10x the baseline; dossier complet PDF under 3 s.
Run with:
    .venv/bin/python scripts/bench_synthesis.py
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bilan_tui.domain.synthesis.model import content_hash  # noqa: E402
from bilan_tui.rendering.documents import DocumentFormat, Renderer, Stamp  # noqa: E402
from tests.documents_fixture import dossier_complet, synthesis  # noqa: E402

TARGET_PDF_S = 1.0
TARGET_PDF_RATIO = 10.0
TARGET_COMPLET_S = 3.0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(action: Callable[[], object], runs: int) -> list[float]:
    action()  # warm-up: imports, fonts
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    warnings.simplefilter("ignore", DeprecationWarning)
    import weasyprint

    the_synthesis = synthesis()
    complet = dossier_complet()
    stamp = Stamp(version=1, date=dt.date(2026, 11, 28), sha256=content_hash(the_synthesis))
    renderer = Renderer()
    figures = {
        "WeasyPrint, une page « bonjour »": measure(
            lambda: weasyprint.HTML(string="<p>bonjour</p>").write_pdf(), runs),
        "Synthèse HTML": measure(lambda: renderer.synthesis(the_synthesis, DocumentFormat.HTML, stamp), runs),
        "Synthèse Markdown": measure(lambda: renderer.synthesis(the_synthesis, DocumentFormat.MD, stamp), runs),
        "Synthèse DOCX": measure(lambda: renderer.synthesis(the_synthesis, DocumentFormat.DOCX, stamp), runs),
        "Synthèse PDF": measure(lambda: renderer.synthesis(the_synthesis, DocumentFormat.PDF, stamp), runs),
        "Dossier complet PDF": measure(lambda: renderer.dossier_complet(complet, stamp), runs),
    }
    for name, samples in figures.items():
        print(f"{name:<36} médiane {statistics.median(samples) * 1000:8.1f} ms   "
              f"p95 {percentile(samples, 0.95) * 1000:8.1f} ms")
    baseline = statistics.median(figures["WeasyPrint, une page « bonjour »"])
    pdf = statistics.median(figures["Synthèse PDF"])
    complet_pdf = statistics.median(figures["Dossier complet PDF"])
    ratio = pdf / baseline
    print(f"Synthèse PDF / page « bonjour » : {ratio:.1f} fois")
    missed = []
    if pdf > TARGET_PDF_S:
        missed.append(f"synthèse PDF {pdf:.2f} s > {TARGET_PDF_S} s")
    if ratio > TARGET_PDF_RATIO:
        missed.append(f"synthèse PDF {ratio:.1f} fois la page « bonjour » > {TARGET_PDF_RATIO}")
    if complet_pdf > TARGET_COMPLET_S:
        missed.append(f"dossier complet PDF {complet_pdf:.2f} s > {TARGET_COMPLET_S} s")
    for line in missed:
        print(f"Objectif manqué : {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
