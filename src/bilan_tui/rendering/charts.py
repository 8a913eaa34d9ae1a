"""Bar charts of questionnaire scores, drawn with block characters for the terminal."""

from __future__ import annotations

from rich.text import Text

from bilan_tui.domain.plural import plural
from bilan_tui.domain.scoring import ScoreResult

_PARTS = " ▏▎▍▌▋▊▉"


def bar(value: float, maximum: float, width: int) -> str:
    """A bar of ``width`` cells filled in proportion, to the eighth of a cell."""
    if maximum <= 0:
        return " " * width
    eighths = round(max(0.0, min(value / maximum, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_PARTS[part] if part else "")
    return text.ljust(width)


def score_chart(title: str, result: ScoreResult, width: int = 30) -> Text:
    """The scores of a questionnaire as labelled bars with their numbers, its code and caveat."""
    text = Text()
    text.append(title, style="bold")
    if result.code_groups:
        text.append(" · Code : ")
        text.append(result.code, style="bold")
    text.append("\n")
    text.append(result.label + "\n", style="italic")
    if not result.complete:
        shown = ", ".join(f"« {label} »" for label in result.missing[:5])
        more = f" et {plural(len(result.missing) - 5, 'autre')}" if len(result.missing) > 5 else ""
        missing = plural(len(result.missing), "élément sans note", "éléments sans note")
        text.append(f"Profil non calculé : {missing} : {shown}{more}.",
                    style="bold")
        return text
    label_width = max(len(f"{s.scale.id} {s.scale.label}") for s in result.scores)
    for s in result.scores:
        span = s.maximum - s.minimum
        text.append(f"{s.scale.id} {s.scale.label}".ljust(label_width) + " ")
        text.append(bar(s.score - s.minimum, span, width), style="bold cyan")
        text.append("│", style="dim")
        text.append(f" {s.score}/{s.maximum}\n")
    return text
