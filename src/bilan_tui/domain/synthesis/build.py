"""From a dossier to the synthesis model (pure: no files, no clock, no templates).

Skeleton: every section says it was not covered. The builder fills the sections from the answers
and the portfolio, each passage with its sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bilan_tui.domain.models import Dossier, Session
from bilan_tui.domain.portfolio import Portfolio
from bilan_tui.domain.synthesis.model import DossierComplet, Section, SectionKey, Synthesis
from bilan_tui.domain.workbook import Workbook


def build_synthesis(dossier: Dossier, sessions: Sequence[Session], workbook: Workbook, portfolio: Portfolio,
                    *, today: dt.date) -> Synthesis:
    """The draft synthesis of a dossier, from what the beneficiary may see only."""
    return Synthesis(
        beneficiary=dossier.beneficiary.display_name,
        consultant=dossier.consultant,
        drafted_on=today,
        sections=tuple(Section(key=key, title=key.heading) for key in SectionKey),
    )


def build_dossier_complet(dossier: Dossier, sessions: Sequence[Session], workbook: Workbook, portfolio: Portfolio,
                          *, today: dt.date) -> DossierComplet:
    """The synthesis plus every stage, every production and the detailed test results."""
    return DossierComplet(synthesis=build_synthesis(dossier, sessions, workbook, portfolio, today=today))
