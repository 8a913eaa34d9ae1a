"""What the document templates see: the synthesis as ready-to-print text, per format.

The templates (built-in or a consultant's) get plain frozen objects, never the domain models: every
text has the French typography applied, and for Markdown every character that would change the
structure of the document escaped. In HTML, one-line texts are escaped by Jinja2's autoescape, and
long texts come escaped already (:class:`markupsafe.Markup`, so autoescape leaves them alone) with
their web and e-mail addresses in a span the style sheet keeps from being hyphenated. Consecutive
bullets are grouped in one list; a section with nothing to say says :data:`NOT_COVERED`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from markupsafe import Markup, escape

from bilan_tui.domain.synthesis.model import (
    NOT_COVERED,
    SEED_SECTIONS,
    DossierComplet,
    Entry,
    PassageStyle,
    Profile,
    Section,
    SectionKey,
    Synthesis,
)
from bilan_tui.domain.typography import ADDRESS, french_typography

# Characters XML 1.0 refuses (DOCX is XML); clean_text removes them where text enters, this is a last guard.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Markdown: characters that are structure anywhere in a line ...
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~&])")
# ... and what is structure at the start of a line: headings, lists, quotes, rules, setext underlines.
_MD_LINE_START = re.compile(r"^(#|[-+=]|\d+(?=[.)]))")


def markdown_escape(text: str) -> str:
    """``text`` as Markdown that shows it literally: one paragraph, lines kept as hard line breaks."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = []
    for line in lines:
        line = _MD_ANYWHERE.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], line)
        out.append(line)
    # A backslash at the end of a line is a hard line break, and lazy continuation keeps the
    # following lines inside a list item or a quotation.
    return "\\\n".join(out)


def date_fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Block:
    """A paragraph, a list of bullets, a quotation or a sub-heading of a section."""

    kind: str
    """``paragraph``, ``bullets``, ``quote`` or ``heading``."""
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableView:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class BarView:
    label: str
    score: int
    minimum: int
    maximum: int
    share: float
    """The filled part of the bar, 0 to 100."""


@dataclass(frozen=True)
class ProfileView:
    title: str
    caveat: str
    code: str
    scales: tuple[BarView, ...]


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    blocks: tuple[Block, ...]
    table: TableView | None
    covered: bool
    seed: bool
    """One of the seed's five parts of a synthesis."""
    profiles_after: bool = False
    """The profiles' charts are printed right after this section (interests, values and motivations)."""


@dataclass(frozen=True)
class EntryView:
    question: str
    answer: str


@dataclass(frozen=True)
class SessionView:
    date: str
    hours: str
    phases: str
    objectives: str
    report: str


@dataclass(frozen=True)
class ProductionView:
    title: str
    phase: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class TestView:
    profile: ProfileView
    items: tuple[EntryView, ...]


@dataclass(frozen=True)
class DocumentView:
    """Everything a template prints (its context variable ``doc``)."""

    title: str
    beneficiary: str
    consultant: str
    drafted_on: str
    header: str
    """``Confidentiel, document remis à …`` (or the third-party excerpt's line), on every page."""
    footer: str
    """The stamp's label: version, date, full SHA-256; on every page."""
    sha256: str
    not_covered: str
    sections: tuple[SectionView, ...]
    profiles: tuple[ProfileView, ...]
    profiles_at_end: bool
    """No section of interests: the profiles are printed after the last section."""
    sessions: tuple[SessionView, ...] = field(default=())
    productions: tuple[ProductionView, ...] = field(default=())
    tests: tuple[TestView, ...] = field(default=())


Text = Callable[[str], str]


class Mode(StrEnum):
    """How the texts of a view are written: for HTML (and PDF), for Markdown, or plain (DOCX)."""

    HTML = "html"
    MARKDOWN = "md"
    PLAIN = "plain"


LONG_WORD = 40
"""Characters without a space beyond which a word is no word to hyphenate (a pasted code or link)."""

# An address, or a long run of characters without a space: printed unhyphenated, broken anywhere at
# the margin (hyphenating a 20,000-character token made the PDF take minutes).
_ADDRESS = re.compile(f"({ADDRESS}|[^\\s<>&]{{{LONG_WORD},}})")


def _plain(text: str) -> str:
    return _NOT_XML.sub("", french_typography(text))


def _html(text: str) -> str:
    """Escaped HTML with every address and every very long word in a span (never hyphenated)."""
    parts = _ADDRESS.split(_plain(text))
    return Markup("").join(
        Markup('<span class="adresse">{}</span>').format(part) if i % 2 else escape(part)
        for i, part in enumerate(parts))


def text_for(mode: Mode) -> Text:
    """The function every text goes through for a format: typography, then the format's escaping."""
    if mode is Mode.MARKDOWN:
        return lambda text: markdown_escape(_plain(text))
    if mode is Mode.HTML:
        return _html
    return _plain


def _quoted(text: str) -> str:
    text = text.strip()
    return text if text.startswith("«") else f"« {text} »"


def _blocks(section: Section, t: Text) -> tuple[Block, ...]:
    blocks: list[Block] = []
    bullets: list[str] = []
    for passage in section.passages:
        if passage.style is PassageStyle.BULLET:
            bullets.append(t(passage.text))
            continue
        if bullets:
            blocks.append(Block("bullets", items=tuple(bullets)))
            bullets = []
        if passage.style is PassageStyle.QUOTE:
            blocks.append(Block("quote", t(_quoted(passage.text))))
        elif passage.style is PassageStyle.HEADING:
            blocks.append(Block("heading", t(" ".join(passage.text.split()))))
        else:
            blocks.append(Block("paragraph", t(passage.text)))
    if bullets:
        blocks.append(Block("bullets", items=tuple(bullets)))
    return tuple(blocks)


def _one_line(mode: Mode) -> Text:
    """For titles, labels and table cells: one line; in HTML escaped by the template (autoescape)."""
    t = text_for(Mode.PLAIN if mode is Mode.HTML else mode)
    return lambda text: t(" ".join(text.split()))


def profile_view(profile: Profile, t: Text) -> ProfileView:
    bars = []
    for scale in profile.scales:
        span = scale.maximum - scale.minimum
        share = 0.0 if span <= 0 else max(0.0, min(100.0, (scale.score - scale.minimum) * 100 / span))
        bars.append(BarView(t(scale.label), scale.score, scale.minimum, scale.maximum, round(share, 1)))
    return ProfileView(t(profile.title), t(profile.caveat), t(profile.code), tuple(bars))


def _entries(entries: Iterable[Entry], t: Text) -> tuple[EntryView, ...]:
    return tuple(EntryView(t(e.question), t(e.answer)) for e in entries)


def document_view(synthesis: Synthesis, *, title: str, header: str, footer: str, sha256: str,
                  mode: Mode, complet: DossierComplet | None = None) -> DocumentView:
    t = text_for(mode)
    line = _one_line(mode)
    keys = {s.key for s in synthesis.sections}
    has_interests = SectionKey.INTERETS in keys and bool(synthesis.profiles)
    sections = tuple(
        SectionView(
            key=section.key.value,
            title=line(section.title),
            blocks=_blocks(section, t),
            table=None if section.table is None else TableView(
                tuple(line(h) for h in section.table.headers),
                tuple(tuple(line(c) for c in row) for row in section.table.rows)),
            covered=not section.empty,
            seed=section.key in SEED_SECTIONS,
            profiles_after=has_interests and section.key is SectionKey.INTERETS,
        )
        for section in synthesis.sections
    )
    view = DocumentView(
        title=line(title), beneficiary=line(synthesis.beneficiary), consultant=line(synthesis.consultant),
        drafted_on=date_fr(synthesis.drafted_on), header=line(header), footer=line(footer), sha256=sha256,
        not_covered=t(NOT_COVERED), sections=sections,
        profiles=tuple(profile_view(p, line) for p in synthesis.profiles),
        profiles_at_end=bool(synthesis.profiles) and not has_interests,
    )
    if complet is None:
        return view
    return replace(
        view,
        sessions=tuple(SessionView(date_fr(s.date), line(s.hours), line(s.phases), t(s.objectives), t(s.report))
                       for s in complet.sessions),
        productions=tuple(ProductionView(line(p.title), line(p.phase), _entries(p.entries, t))
                          for p in complet.productions),
        tests=tuple(TestView(profile_view(d.profile, line), _entries(d.items, t)) for d in complet.tests),
    )
