"""Composition root: command-line arguments -> settings, repository, flows -> the Textual app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bilan_tui import __version__
from bilan_tui.config import DATA_DIR_ENV, Settings, default_data_dir
from bilan_tui.domain.plural import plural


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bilan-tui",
        description=(
            "Assistant d'entretien guidé pour les bilans de compétences. "
            "Consultant et bénéficiaire répondent ensemble aux questions de chaque phase ; "
            "chaque réponse est enregistrée aussitôt."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DOSSIER",
        help=(
            f"dossier des données (confidentielles) ; sinon la variable {DATA_DIR_ENV}, "
            f"sinon {default_data_dir()}"
        ),
    )
    parser.add_argument("--version", action="version", version=f"bilan-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.add_parser("rebuild-index", help="reconstruire l'index des dossiers à partir des fichiers")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.resolve(args.data_dir)

    from bilan_tui.storage import Repository, StorageError

    try:
        repository = Repository(settings.data_dir)
    except StorageError as error:
        print(f"bilan-tui : {error}", file=sys.stderr)
        return 2
    for notice in repository.notices:  # e.g. rights of the data folder tightened: never silently
        print(f"bilan-tui : {notice}", file=sys.stderr)

    if args.command == "rebuild-index":
        entries = repository.rebuild_index()
        unreadable = [e for e in entries if e.error]
        readable = len(entries) - len(unreadable)
        print(f"Index reconstruit : {plural(readable, 'dossier lisible', 'dossiers lisibles')}, "
              f"{plural(len(unreadable), 'illisible')}.")
        for entry in unreadable:
            print(f"  - {entry.path.name} : {entry.error}")
        return 0

    from bilan_tui.flows import load_catalog
    from bilan_tui.tui.app import BilanApp

    catalog = load_catalog(settings.extra_flow_dirs)
    BilanApp(repository=repository, catalog=catalog).run()
    return 0
