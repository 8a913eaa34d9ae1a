"""The document de synthèse and the dossier complet as files: Markdown, HTML, PDF and DOCX.

Markdown and HTML come from Jinja2 templates (HTML autoescaped, Markdown from pre-escaped text),
the PDF from the same HTML through WeasyPrint (A4, a header and a footer on every page, page
numbers), the DOCX from python-docx (:mod:`bilan_tui.rendering.docx_writer`). A consultant may give a
folder of their own templates (same file names as ``rendering/templates``); they are loaded in a
sandbox, and one that fails is reported in :attr:`Renderer.problems` while the built-in one is used,
so an export always works. :func:`write_document` writes a file whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import glob
import importlib
import logging
import os
import re
import tempfile
import threading
import time
import types
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from bilan_tui.domain.synthesis.model import DossierComplet, Synthesis
from bilan_tui.domain.typography import french_typography
from bilan_tui.rendering import docx_writer, sandbox
from bilan_tui.rendering.view import DocumentView, Mode, date_fr, document_view

TEMPLATES = Path(__file__).parent / "templates"
"""The built-in templates; a consultant's folder may replace any of these files."""

SYNTHESE_HTML = "synthese.html.j2"
SYNTHESE_MD = "synthese.md.j2"
DOSSIER_COMPLET_HTML = "dossier_complet.html.j2"
STYLE = "style.css"

FILE_MODE = 0o600


class DocumentFormat(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"
    MD = "md"


class DocumentError(Exception):
    """A document could not be made or written; the message is French, for a person."""


class PdfUnavailableError(DocumentError):
    """WeasyPrint cannot load its system libraries (Pango): the message says what to install."""


class TemplateProblem(DocumentError):
    """A template is broken: the message names the file and the line."""


@dataclass(frozen=True)
class Stamp:
    """What the footer of every document says: which version, of when, with which content hash."""

    version: int | None
    """``None``: a draft, not validated."""
    date: dt.date
    """The validation date (or the draft's date)."""
    sha256: str
    """:func:`~bilan_tui.domain.synthesis.model.content_hash` of the synthesis exported."""
    recipient: str | None = None
    """A third party the excerpt is handed to (with the beneficiary's recorded agreement)."""
    whole_sha256: str | None = None
    """An excerpt's: the hash of the whole version it is taken from (``sha256`` is the excerpt's own)."""

    def label(self) -> str:
        """``Version 2 validée le 28/11/2026 · SHA-256 <the full hash>``.

        An excerpt's says so and carries both hashes: the version's, as frozen, and its own (a hash
        printed next to « Version 2 » that is not version 2's would not check against it).
        """
        if self.version is None:
            head = f"Version de travail, non validée, du {date_fr(self.date)}"
        else:
            head = f"Version {self.version} validée le {date_fr(self.date)}"
        if self.whole_sha256 is not None:
            return (f"Extrait de la {head[0].lower()}{head[1:]} (SHA-256 {self.whole_sha256}) · "
                    f"SHA-256 de l'extrait {self.sha256}")
        return f"{head} · SHA-256 {self.sha256}"

    def header(self, beneficiary: str) -> str:
        """The line at the top of every page: to whom the document is handed."""
        if self.recipient:
            return f"Confidentiel, extrait remis à {self.recipient} avec l'accord de {beneficiary}"
        return f"Confidentiel, document remis à {beneficiary}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "beneficiaire"


def document_name(beneficiary: str, *, complet: bool, version: int | None, fmt: DocumentFormat,
                  dossier_id: str = "") -> str:
    """A file name for an export: ``synthese-dupont-marie-v2.pdf``, ASCII, no folder, no hidden file.

    With ``dossier_id``, its first characters follow the name (``synthese-dupont-marie-2a1924-v2.pdf``):
    two homonyms, or two names of no Latin letter, never share a file (one would replace the other's,
    and be handed to the wrong person).
    """
    kind = "dossier-complet" if complet else "synthese"
    suffix = "version-de-travail" if version is None else f"v{version}"
    tag = re.sub(r"[^a-z0-9]+", "", dossier_id.lower())[:6]
    return f"{kind}-{_slug(beneficiary)}{'-' + tag if tag else ''}-{suffix}.{fmt.value}"


def write_document(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temporary file, fsync, rename); private (0600).

    Raises :class:`DocumentError` in French when the folder does not exist, cannot be written, or
    ``path`` is a folder; no partial or temporary file is left behind.
    """
    folder = path.parent
    if path.is_dir():
        raise DocumentError(f"« {path} » est un dossier : indiquez le nom du fichier à écrire.")
    if not folder.exists():
        raise DocumentError(f"Le dossier « {folder} » n'existe pas : le document n'a pas été écrit.")
    if not folder.is_dir():
        raise DocumentError(f"« {folder} » n'est pas un dossier : le document n'a pas été écrit.")
    _sweep_stale_temporaries(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError as exc:
        raise DocumentError(f"Impossible d'écrire dans le dossier « {folder} » : accès refusé "
                            "(dossier en lecture seule ?). Le document n'a pas été écrit.") from exc
    except OSError as exc:
        raise DocumentError(f"Impossible d'écrire dans le dossier « {folder} » : {exc.strerror or exc}. "
                            "Le document n'a pas été écrit.") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise DocumentError(f"Impossible d'écrire « {path} » : {exc.strerror or exc}. "
                            "Le document n'a pas été écrit.") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return path


STALE_TEMPORARY = 60.0
"""Seconds after which a temporary file of :func:`write_document` is known to be left by a killed export."""


def _sweep_stale_temporaries(path: Path) -> None:
    """Remove the temporary files a killed export of ``path`` left beside it (a write takes far less)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.is_file() and not leftover.is_symlink() and now - leftover.stat().st_mtime > STALE_TEMPORARY:
                    leftover.unlink()


PDF_INSTALL_HINT = ("Installez Pango : sous Debian ou Ubuntu, « sudo apt install libpango-1.0-0 libpangoft2-1.0-0 » ; "
                    "sous macOS, « brew install pango ». Les formats DOCX, HTML et Markdown restent disponibles.")


def _import_weasyprint() -> types.ModuleType:
    # Imported only when a PDF is asked for: it loads Pango, which may be missing (then say so).
    return importlib.import_module("weasyprint")


def _weasyprint() -> types.ModuleType:
    try:
        return _import_weasyprint()
    except (OSError, ImportError) as exc:
        raise PdfUnavailableError(
            "Le PDF ne peut pas être produit : la bibliothèque WeasyPrint ne trouve pas les bibliothèques "
            f"du système dont elle a besoin ({exc}). {PDF_INSTALL_HINT}") from exc


_PDF_GC_THRESHOLD = 20_000
"""Allocations between two young-generation collections while WeasyPrint renders (Python's default: 700)."""
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, int, int] | None = None


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Let the garbage collector run less often while a PDF is made, as before afterwards.

    WeasyPrint and fontTools allocate hundreds of thousands of objects that live until the PDF is
    written (boxes, font tables): with Python's default threshold the collector goes through them
    again and again, a sixth of a PDF's time. Collection still happens, every 20,000 allocations.
    The threshold is the process's: the first render to start sets it, the last to end puts it back.
    """
    global _gc_renders, _gc_saved
    with _gc_lock:
        if _gc_renders == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_PDF_GC_THRESHOLD, _gc_saved[0]), *_gc_saved[1:])
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                _gc_saved = None


def _autoescape(name: str | None) -> bool:
    return name is not None and ".html" in name


def _text_bar(share: float, width: int = 20) -> str:
    """A bar of block characters for Markdown: ``share`` (0-100) of ``width`` cells filled."""
    filled = round(max(0.0, min(share, 100.0)) * width / 100)
    return "█" * filled + "░" * (width - filled)


def _environment(loader: BaseLoader) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=loader, undefined=StrictUndefined, autoescape=_autoescape,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    # ``{{ "Bénéficiaire :" | fr }}``: a template's own words get the same French spacing as the data.
    env.filters["fr"] = french_typography
    env.globals["text_bar"] = _text_bar
    return env


@functools.lru_cache(maxsize=4)
def _builtin_environment(folder: Path) -> SandboxedEnvironment:
    # One per process: its compiled templates are kept from one Renderer to the next (Jinja2 still
    # reloads a file that changed).
    return _environment(FileSystemLoader(folder))


_UNDEFINED = re.compile(r"^'([^']*)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']*)'$")


def _what(exc: BaseException) -> str:
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, TemplateSyntaxError):
        return f"erreur de syntaxe ({message})"
    if isinstance(exc, UndefinedError):
        if match := _UNDEFINED.match(message):
            return f"la variable « {match[1]} » n'existe pas"
        if match := _NO_ATTRIBUTE.search(message):
            return f"« {match[1]} » n'existe pas ({message})"
        return f"valeur indéfinie ({message})"
    if isinstance(exc, SecurityError):
        return f"opération interdite dans un modèle ({message})"
    if isinstance(exc, TemplateNotFound):
        return f"modèle introuvable ({message})"
    return f"{type(exc).__name__} : {message}"


def _where(exc: BaseException, folder: Path) -> tuple[str, int | None]:
    """The template file and line an error comes from (Jinja2 rewrites tracebacks to template lines)."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.filename or exc.name or "?", exc.lineno
    found: tuple[str, int | None] = ("?", None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css")) or filename.startswith(str(folder)):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_problem(exc: BaseException, folder: Path, *, fallback: bool = True) -> TemplateProblem:
    """The French message of a broken template: file, line, what (and that the built-in one was used)."""
    filename, line = _where(exc, folder)
    at = f", ligne {line}" if line else ""
    then = " Le modèle intégré a été utilisé à la place." if fallback else ""
    return TemplateProblem(f"Modèle « {filename} »{at} : {_what(exc)}.{then}")


class Renderer:
    """Makes the documents, from the built-in templates or a consultant's own (``template_dir``)."""

    def __init__(self, template_dir: Path | None = None) -> None:
        self.problems: list[str] = []
        """French messages about the consultant's templates that failed (the built-in one was used)."""
        self._builtin = _builtin_environment(TEMPLATES)
        self._custom: SandboxedEnvironment | None = None
        self._template_dir = template_dir
        if template_dir is not None:
            if not template_dir.is_dir():
                self._note(f"Le dossier de modèles « {template_dir} » n'existe pas ou n'est pas un dossier : "
                           "les modèles intégrés sont utilisés.")
                self._template_dir = None
            else:
                # The consultant's files first; any file they do not provide comes from the built-in set.
                self._custom = _environment(ChoiceLoader([FileSystemLoader(template_dir), FileSystemLoader(TEMPLATES)]))

    def _note(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def _css(self) -> str:
        if self._template_dir is not None and (self._template_dir / STYLE).is_file():
            path = self._template_dir / STYLE
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self._note(f"Feuille de style « {path} » illisible ({exc}) : la feuille intégrée a été utilisée à la place.")
        return (TEMPLATES / STYLE).read_text(encoding="utf-8")

    def _render(self, name: str, doc: object, *, pdf: bool = False) -> str:
        # ``pdf``: the HTML is for WeasyPrint, which may want it written differently (list bullets).
        context: dict[str, Any] = {"doc": doc, "pdf": pdf}
        if _autoescape(name):
            # A style sheet cannot close its <style> element, whoever wrote it.
            context["css"] = Markup(self._css().replace("</", "<\\/"))
        if self._custom is not None and self._template_dir is not None:
            try:  # in a child process, stopped if it loops or grows without end
                text = sandbox.render(self._template_dir, name, context)
                if _autoescape(name):
                    sandbox.refuse_attachments(text, self._template_dir / name)
                return text
            except TemplateProblem as exc:
                self._note(str(exc))
            except Exception as exc:  # any failure of a consultant's template falls back to ours
                self._note(str(template_problem(exc, self._template_dir)))
        try:
            return self._builtin.get_template(name).render(context)
        except TemplateError as exc:  # a bug of ours: say where
            raise template_problem(exc, TEMPLATES, fallback=False) from exc

    def _view(self, synthesis: Synthesis, stamp: Stamp, *, mode: Mode, complet: DossierComplet | None = None) -> DocumentView:
        title = "Dossier complet du bilan de compétences" if complet else "Document de synthèse du bilan de compétences"
        return document_view(synthesis, title=title, header=stamp.header(synthesis.beneficiary), footer=stamp.label(),
                             sha256=stamp.sha256, mode=mode, complet=complet)

    def html(self, synthesis: Synthesis, stamp: Stamp, *, pdf: bool = False) -> str:
        return self._render(SYNTHESE_HTML, self._view(synthesis, stamp, mode=Mode.HTML), pdf=pdf)

    def markdown(self, synthesis: Synthesis, stamp: Stamp) -> str:
        return self._render(SYNTHESE_MD, self._view(synthesis, stamp, mode=Mode.MARKDOWN))

    def synthesis(self, synthesis: Synthesis, fmt: DocumentFormat, stamp: Stamp) -> bytes:
        """The document de synthèse in ``fmt``."""
        fmt = DocumentFormat(fmt)
        if fmt is DocumentFormat.MD:
            return self.markdown(synthesis, stamp).encode("utf-8")
        if fmt is DocumentFormat.HTML:
            return self.html(synthesis, stamp).encode("utf-8")
        if fmt is DocumentFormat.PDF:
            return self._pdf(self.html(synthesis, stamp, pdf=True), synthesis.beneficiary)
        return docx_writer.synthesis_docx(self._view(synthesis, stamp, mode=Mode.PLAIN))

    def dossier_complet(self, complet: DossierComplet, stamp: Stamp) -> bytes:
        """The dossier complet as one PDF: the synthesis, the sessions, the productions, the tests in detail."""
        view = self._view(complet.synthesis, stamp, mode=Mode.HTML, complet=complet)
        return self._pdf(self._render(DOSSIER_COMPLET_HTML, view, pdf=True), complet.synthesis.beneficiary)

    def _pdf(self, html: str, beneficiary: str) -> bytes:
        weasyprint = _weasyprint()
        base = self._template_dir or TEMPLATES
        # Local files only, and only from the templates' own folder (a letterhead's logo next to them):
        # never the network, never another file of the machine (another beneficiary's dossier).
        fetcher = _confined_fetcher(weasyprint, Path(base))
        heard = _Heard()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(heard)
        try:
            with _fewer_collections():
                data: bytes = weasyprint.HTML(string=html, base_url=str(base) + os.sep, url_fetcher=fetcher).write_pdf()
        except (OSError, ValueError, RuntimeError) as exc:
            raise DocumentError(f"Le PDF du document de {beneficiary} n'a pas pu être produit : {exc}") from exc
        finally:
            logger.removeHandler(heard)
        if self._template_dir is not None:
            # The built-in templates and style sheet draw no warning: these come from the consultant's.
            for message in heard.messages:
                self._note(f"Modèles de « {self._template_dir} » : {_weasyprint_message(message)}")
        return data


def _confined_fetcher(weasyprint: Any, folder: Path) -> Any:
    """A WeasyPrint fetcher for ``data:`` URLs and files inside ``folder`` only."""
    root = folder.resolve()

    class Confined(weasyprint.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(f"fichier hors du dossier des modèles : {path.name}")
            return super().fetch(url, headers)

    return Confined(allowed_protocols={"file", "data"})


_IGNORED = re.compile(r"^Ignored `(.*?)\s*` at (\d+):(\d+), (.*?)\.?$")


def _weasyprint_message(message: str) -> str:
    """A WeasyPrint warning as a sentence for the consultant (its usual form in French)."""
    if match := _IGNORED.match(message):
        return (f"« {match[1]} » ignoré par le PDF, ligne {match[2]} de la feuille de style "
                f"(WeasyPrint : {match[4]}).")
    return f"avertissement de WeasyPrint, sans effet sur le reste du PDF : {message.rstrip('.')}."


class _Heard(logging.Handler):
    """What WeasyPrint says while it renders: CSS it ignored, an image it could not load."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "HarfBuzz" not in message:  # about this machine's libraries, not about a template
            self.messages.append(message)
