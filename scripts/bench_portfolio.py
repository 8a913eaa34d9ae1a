#!/usr/bin/env python3
"""Benchmark: what keeping the portfolio in step adds to saving one answer.

Every answer in the interview is saved, then the portfolio is derived again from all the modules
of the dossier, merged into the stored one and saved. In a temporary folder, this builds a full
bilan (every module answered; 40 experiences, 12 achievements, 30 competences, 60 + 50
questionnaire items, a confrontation for 3 projects) and measures, per answer (median and p95):
- the baseline: saving the answer alone (what the foundation did);
- saving the answer, then syncing and saving the portfolio (what the interview does now).

Figures are printed as ratios measured in the same run. Run with:  .venv/bin/python scripts/bench_portfolio.py
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bilan_tui.domain.models import Beneficiary, SkipReason
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.workbook import Workbook
from bilan_tui.flows import JinjaExpressions, load_catalog
from bilan_tui.storage import Repository

NOW = dt.datetime(2026, 11, 26, 9, 0)
TARGET_RATIO = 10.0  # sync + portfolio save at most 10x the bare answer save
TARGET_P95_MS = 100.0  # and never a delay a person notices at the keyboard


def answers_for(flow_id: str) -> dict:
    text = "Une phrase ou deux, comme en écrit un bénéficiaire en séance : j'ai organisé, formé, analysé."
    if flow_id == "parcours":
        return {"experiences": [{"intitule": f"Expérience {i}", "nature": "emploi", "debut": "2010", "fin": "2012",
                                 "contexte": text, "aime": text, "moins_aime": text} for i in range(40)]}
    if flow_id == "realisations":
        return {"experiences_choisies": ["1", "2"],
                "realisations": [{"titre": f"Réalisation {i}", "experience": "1", "situation": text, "tache": text,
                                  "action": text, "resultat": text} for i in range(12)],
                "competences": [{"intitule": f"Compétence {i}", "categorie": "savoir_faire", "niveau": "3",
                                 "transferable": "oui", "realisation": str(i % 12 + 1)} for i in range(30)]}
    if flow_id == "confrontation":
        return {"projet": "Projet", "competences_requises": [{"intitule": f"Compétence {i}"} for i in range(0, 60, 2)]}
    return {}


def fill(workbook: Workbook, flow_id: str, instance: str = ""):
    """Answer every step: the given answers, else the first valid value the engine accepts."""
    engine = workbook.engine(workbook.flows[flow_id])
    state = engine.start(instance)
    given = answers_for(flow_id)
    for _ in range(400):
        step = engine.current(state)
        if step is None:
            return state
        if step.answer is None:
            state = engine.acknowledge(state, step.id, now=NOW)
            continue
        spec = engine.spec(step, state)
        raw = given.get(step.id)
        if raw is None:
            kind = spec.type.value
            raw = {"ratings": {i.id: 2 for i in spec.items}, "multi": [c.value for c in spec.choices][:5],
                   "ranking": [c.value for c in spec.choices][:3], "single": (spec.choices or [None])[0],
                   "list": [], "text": "Texte", "long_text": "Texte"}.get(kind, "Texte")
            if kind == "single":
                raw = raw.value if raw else None
        outcome = engine.answer(state, step.id, raw, now=NOW, accept_warnings=True)
        state = outcome.state if outcome.recorded else engine.skip(state, step.id, SkipReason.NOT_APPLICABLE, now=NOW)
    raise RuntimeError(f"{flow_id} did not finish")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="answers measured per variant")
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        repository = Repository(Path(folder) / "donnees")
        dossier = repository.create_dossier(Beneficiary(first_name="Banc", last_name="Essai"))
        workbook = Workbook(catalog.flows, [], JinjaExpressions())
        with repository.open(dossier.id) as handle:
            for flow in catalog.by_phase():
                for instance in ("p1", "p2", "p3") if flow.repeatable else ("",):
                    state = fill(workbook, flow.id, instance)
                    workbook = workbook.with_state(state)
                    handle.save_interview(state)
            portfolio, _ = workbook.sync_portfolio(Portfolio(), NOW)
            handle.save_portfolio(portfolio)
            print(f"Dossier de mesure : {len(workbook.states)} passages de modules, "
                  f"{len(portfolio.active())} éléments au portefeuille")

            state = workbook.states["realisations"]
            engine = workbook.engine(catalog.flows["realisations"])
            base = state.record("realisations").value

            def changed(i: int):
                value = [dict(e) for e in base]
                value[i % len(value)]["resultat"] = f"Résultat révisé n° {i}"
                return engine.answer(engine.edit(state, "realisations"), "realisations", value, now=NOW).state

            bare, full = [], []
            for i in range(args.count):
                new_state = changed(i)
                start = time.perf_counter()
                handle.save_interview(new_state)
                bare.append((time.perf_counter() - start) * 1000)

                new_state = changed(i + 1000)
                start = time.perf_counter()
                handle.save_interview(new_state)
                synced, _ = workbook.with_state(new_state).sync_portfolio(portfolio, NOW)
                if synced != portfolio:
                    handle.save_portfolio(synced)
                portfolio = synced
                full.append((time.perf_counter() - start) * 1000)

    rows = [("réponse seule", bare), ("réponse + portefeuille", full)]
    print("\nEnregistrer une réponse (ms)")
    for label, samples in rows:
        print(f"  {label:<24} médiane {statistics.median(samples):7.2f}   p95 {percentile(samples, 0.95):7.2f}")
    ratio = percentile(full, 0.95) / percentile(bare, 0.95)
    p95 = percentile(full, 0.95)
    ok_ratio, ok_p95 = ratio <= TARGET_RATIO, p95 <= TARGET_P95_MS
    print("\nRapports")
    print(f"  p95 avec portefeuille / p95 réponse seule   {ratio:6.2f}x   cible ≤ {TARGET_RATIO:g}   "
          f"{'OK' if ok_ratio else 'HORS CIBLE'}")
    print(f"  p95 avec portefeuille                   {p95:8.2f} ms  cible ≤ {TARGET_P95_MS:g} ms  "
          f"{'OK' if ok_p95 else 'HORS CIBLE'}")
    return 0 if ok_ratio and ok_p95 else 1


if __name__ == "__main__":
    sys.exit(main())
