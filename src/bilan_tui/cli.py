"""Composition root: command-line arguments -> settings, repository, flows -> the Textual app."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from bilan_tui import __version__
from bilan_tui.config import DATA_DIR_ENV, Settings, default_data_dir
from bilan_tui.domain.plural import plural
from bilan_tui.rendering.documents import DocumentFormat

if TYPE_CHECKING:
    from bilan_tui.flows import FlowCatalog
    from bilan_tui.storage import Repository


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
    sub.add_parser("dossiers", help="lister les dossiers (identifiant, bénéficiaire, phase)")
    export = sub.add_parser(
        "export",
        help="exporter la synthèse (ou le dossier complet) d'un dossier dans un fichier",
        description=(
            "Exporte la dernière version validée de la synthèse (ou, s'il n'y en a pas, la version de travail). "
            "Le fichier est écrit en entier ou pas du tout ; par défaut dans le dossier « exports » du dossier "
            "de données."
        ),
    )
    export.add_argument("dossier", metavar="DOSSIER", help="identifiant du dossier, ou « Prénom Nom » du bénéficiaire")
    export.add_argument("--format", dest="fmt", choices=[f.value for f in DocumentFormat], default="pdf",
                        help="format du document (pdf par défaut)")
    export.add_argument("--complet", action="store_true",
                        help="le dossier complet (synthèse, étapes, productions, résultats détaillés des tests), en PDF")
    export.add_argument("--version", dest="version", type=_positive, metavar="N",
                        help="une version validée précise (par défaut la dernière)")
    export.add_argument("--travail", action="store_true",
                        help="la version de travail (non validée), même si des versions ont été validées")
    export.add_argument("--extrait", metavar="CONSENTEMENT",
                        help="un extrait pour un tiers, sous le consentement enregistré portant cet identifiant")
    export.add_argument("--out", metavar="CHEMIN", help="fichier ou dossier où écrire le document")
    export.add_argument("--modeles", metavar="DOSSIER",
                        help="dossier de modèles personnels (sinon « modeles » du dossier de données, s'il existe)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un numéro de version") from None
    if value < 1:
        raise argparse.ArgumentTypeError("les versions sont numérotées à partir de 1")
    return value


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

    if args.command == "dossiers":
        for entry in repository.list_dossiers():
            if entry.summary is None:
                print(f"{entry.id}  (illisible : {entry.error})")
            else:
                print(f"{entry.id}  {entry.summary.beneficiary}  ·  {entry.summary.phase.label}")
        return 0

    from bilan_tui.flows import load_catalog

    if args.command == "export":
        return _export(args, settings, repository, load_catalog(settings.extra_flow_dirs))

    from bilan_tui.tui.app import BilanApp

    catalog = load_catalog(settings.extra_flow_dirs)
    BilanApp(repository=repository, catalog=catalog).run()
    return 0


def _stop(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _unwound_on_signals() -> Iterator[None]:
    """Stopped by ``kill`` or the terminal closing, unwind: a temporary file being written is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    before = {signum: signal.signal(signum, _stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _export(args: argparse.Namespace, settings: Settings, repository: Repository, catalog: FlowCatalog) -> int:
    import datetime as dt
    from pathlib import Path

    from bilan_tui.flows import JinjaExpressions
    from bilan_tui.services.exports import ExportError, ExportRequest, export, find_dossier

    templates = Path(args.modeles).expanduser() if args.modeles else settings.template_dir
    if templates is not None and args.modeles and not templates.is_dir():
        state = "n'est pas un dossier" if templates.exists() else "n'existe pas"
        print(f"bilan-tui : le dossier de modèles « {templates} » {state}.", file=sys.stderr)
        return 2
    try:
        request = ExportRequest(
            dossier_id=find_dossier(repository, args.dossier),
            format=DocumentFormat(args.fmt),
            complet=args.complet,
            version=args.version,
            draft=args.travail,
            consent_id=args.extrait,
            out=Path(args.out) if args.out else None,
        )
        if request.version is not None and request.draft:
            raise ExportError("--version et --travail s'excluent : une version validée, ou la version de travail.")
        with _unwound_on_signals():
            result = export(repository, catalog, JinjaExpressions(), request,
                            now=dt.datetime.now().replace(microsecond=0),
                            template_dir=templates if templates is not None and templates.is_dir() else None,
                            progress=lambda message: print(message, file=sys.stderr))
    except ExportError as error:
        print(f"bilan-tui : {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a fault of ours: said in one sentence, never a traceback; nothing was written
        print(f"bilan-tui : l'export a échoué sur une erreur inattendue ({type(error).__name__} : {error}). "
              "Aucun document n'a été écrit ; signalez-la avec la commande utilisée.", file=sys.stderr)
        return 3
    for problem in result.problems:
        print(f"bilan-tui : {problem}", file=sys.stderr)
    print(f"{result.stamp.label()}")
    if result.replaced:
        print(f"Le fichier « {result.path.name} » existait : il a été remplacé par ce document.")
    print(f"Document écrit : {result.path}")
    return 0
