"""A consultant's template rendered in a child process, within limits of time, memory and size.

Jinja2's sandbox keeps a template from reading files or reaching Python's internals, but not from
looping for hours (``{% for i in r %}{% for j in r %}…``) or printing a gigabyte. A template from a
consultant's folder is therefore rendered in a child Python process: stopped after
:data:`TIME_LIMIT` seconds, with :data:`MEMORY_LIMIT` bytes of address space, its output refused
beyond :data:`OUTPUT_LIMIT` characters. Whatever happens there, the caller gets the text or a
:class:`~bilan_tui.rendering.documents.TemplateProblem` in French, and the built-in template is used.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from bilan_tui.domain.plural import plural

TIME_LIMIT = 10.0
"""Seconds a consultant's template may take (the built-in ones render a big dossier in well under one)."""
MEMORY_LIMIT = 2 * 1024**3
"""Bytes of address space of the child process."""
OUTPUT_LIMIT = 50_000_000
"""Characters of a rendered template (a complete dossier's HTML is a few hundred thousand)."""

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class _TooLong(Exception):
    pass


def render(template_dir: Path, name: str, context: dict[str, Any], *, time_limit: float | None = None) -> str:
    """``name`` from ``template_dir`` (the built-in folder behind it) rendered with ``context``, within limits.

    Raises :class:`~bilan_tui.rendering.documents.TemplateProblem` (French, naming the file) when the
    template fails, runs too long, takes too much memory or prints too much.
    """
    from bilan_tui.rendering.documents import TemplateProblem

    where = template_dir / name
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    payload = pickle.dumps((str(template_dir), name, context, time_limit))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_PACKAGE_ROOT), *sys.path])}
    try:
        done = subprocess.run([sys.executable, "-c", "from bilan_tui.rendering.sandbox import _child; _child()"],
                              input=payload, capture_output=True, timeout=time_limit + 2, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise _too_slow(where, time_limit) from None
    except OSError as exc:
        raise TemplateProblem(f"Modèle « {where} » : il n'a pas pu être lancé ({exc.strerror or exc}). "
                              "Le modèle intégré a été utilisé à la place.") from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
        if isinstance(answer, dict) and isinstance(answer.get("text"), str):
            return str(answer["text"])
        if isinstance(answer, dict) and isinstance(answer.get("problem"), str):
            raise TemplateProblem(str(answer["problem"]))
    except (ValueError, UnicodeDecodeError):
        pass
    if done.returncode in (-getattr(signal, "SIGXCPU", -1), -getattr(signal, "SIGKILL", -1)):  # the CPU limit
        raise _too_slow(where, time_limit)
    raise TemplateProblem(f"Modèle « {where} » : arrêté, il demande trop de mémoire (plus de "
                          f"{MEMORY_LIMIT // 1024**3} Go). Le modèle intégré a été utilisé à la place.")


def _too_slow(where: Path, time_limit: float) -> Exception:
    from bilan_tui.rendering.documents import TemplateProblem

    seconds = max(1, round(time_limit))
    return TemplateProblem(f"Modèle « {where} » : arrêté au bout de {plural(seconds, 'seconde')} (une boucle sans "
                           "fin ?). Le modèle intégré a été utilisé à la place.")


_ATTACHMENT = re.compile(r"[\s\"'=]attachment[\s\"'>]", re.IGNORECASE)


def refuse_attachments(html: str, where: Path) -> None:
    """Refuse a consultant's HTML that joins a file to the PDF (``<link rel="attachment" href="…">``).

    WeasyPrint embeds such a file whole in the PDF: any file the consultant's account can read
    (another beneficiary's dossier) would be handed over with the document.
    """
    from bilan_tui.rendering.documents import TemplateProblem

    try:
        import tinyhtml5  # type: ignore[import-untyped]  # WeasyPrint's own parser: the elements as the PDF will see them

        tree: Any = tinyhtml5.parse(html)
        attached = any("attachment" in str(element.get("rel", "")).lower().split() for element in tree.iter())
    except ImportError:  # pragma: no cover - WeasyPrint absent: no PDF either; be strict on the text
        attached = bool(_ATTACHMENT.search(html))
    if attached:
        raise TemplateProblem(f"Modèle « {where} » : il joint un fichier au document (rel=\"attachment\"), ce "
                              "qu'un modèle ne peut pas faire. Le modèle intégré a été utilisé à la place.")


def _limit_self(time_limit: float) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: the parent's timeout still stops us
        return
    seconds = int(time_limit) + 1
    for which, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_CPU, seconds)):
        try:
            _, hard = resource.getrlimit(which)
            resource.setrlimit(which, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))
        except (ValueError, OSError):
            pass


def _child() -> None:
    """In the child process: read the request on stdin, write ``{"text"}`` or ``{"problem"}`` on stdout."""
    folder, name, context, time_limit = pickle.loads(sys.stdin.buffer.read())
    _limit_self(time_limit)
    from jinja2 import ChoiceLoader, FileSystemLoader

    from bilan_tui.rendering.documents import TEMPLATES, _environment, template_problem

    template_dir = Path(folder)
    env = _environment(ChoiceLoader([FileSystemLoader(template_dir), FileSystemLoader(TEMPLATES)]))
    try:
        pieces: list[str] = []
        size = 0
        for piece in env.get_template(name).generate(context):
            size += len(piece)
            if size > OUTPUT_LIMIT:
                raise _TooLong
            pieces.append(piece)
        answer = {"text": "".join(pieces)}
    except _TooLong:
        answer = {"problem": f"Modèle « {template_dir / name} » : il produit plus de {OUTPUT_LIMIT // 1_000_000} "
                             "millions de caractères (une boucle sans fin ?). Le modèle intégré a été utilisé à la "
                             "place."}
    except MemoryError:
        answer = {"problem": f"Modèle « {template_dir / name} » : il demande trop de mémoire. "
                             "Le modèle intégré a été utilisé à la place."}
    except Exception as exc:  # whatever the template does wrong is said, with its file and line
        answer = {"problem": str(template_problem(exc, template_dir))}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
