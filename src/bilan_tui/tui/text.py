"""Helpers to show text typed by people exactly as typed (never parsed as markup)."""

from __future__ import annotations

from rich.text import Text


def plain(text: str, style: str = "") -> Text:
    """A Rich ``Text`` that shows ``[bold]`` and friends literally."""
    return Text(text, style=style)


def labelled(label: str, text: str, label_style: str = "bold") -> Text:
    """``label`` in a style, followed by ``text`` shown literally."""
    result = Text(label, style=label_style)
    result.append(text)
    return result
