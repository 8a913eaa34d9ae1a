"""Suggestions drawn from earlier answers; a person confirms them before they count.

A suggester turns an answer (here: the achievements told in STAR form) into choices. The value
of a suggested choice is ``slug@n``: ``n`` is the number of the element it was found in, so that
what the person confirms keeps its evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bilan_tui.domain.flow import Choice

# Action verbs (savoir-faire), infinitive form. Conjugated and past forms are found by their stem.
ACTION_VERBS = (
    "accompagner", "accueillir", "adapter", "administrer", "analyser", "animer", "anticiper", "arbitrer",
    "argumenter", "assembler", "auditer", "budgéter", "calculer", "coacher", "collaborer", "communiquer",
    "concevoir", "conduire", "conseiller", "construire", "contrôler", "convaincre", "coordonner", "créer",
    "décider", "déléguer", "dépanner", "développer", "diagnostiquer", "diriger", "écouter", "encadrer",
    "enseigner", "entretenir", "évaluer", "expliquer", "fabriquer", "former", "gérer", "informer",
    "innover", "installer", "interpréter", "lancer", "mesurer", "mettre en place", "motiver", "négocier",
    "optimiser", "organiser", "piloter", "planifier", "préparer", "présenter", "prévenir", "programmer",
    "recruter", "rédiger", "réparer", "résoudre", "restructurer", "sécuriser", "soigner", "superviser",
    "synthétiser", "tester", "traduire", "transmettre", "vendre", "vérifier",
)


def fold(text: str) -> str:
    """Lower case without accents: how people's words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Endings of the common tenses (folded): a word is a form of a verb when it is its stem plus one of
# these. Nouns made on the same root ("organisation", "budget") are not verb forms.
_ENDINGS = frozenset({
    "er", "e", "es", "ent", "ons", "ez", "ais", "ait", "aient", "ions", "iez", "ee", "ees", "erai", "era",
    "erons", "eront", "erais", "erait", "ant", "ai", "a", "eais", "eait", "eons", "eant",
    "ir", "is", "it", "i", "ie", "ies", "issons", "issez", "issent", "issais", "issait", "issant",
    "re", "s", "t", "u", "ue", "us", "ues", "sons", "sez", "sent", "sais", "sait",
})


def _stem(verb: str) -> str:
    folded = fold(verb)
    if folded == "mettre en place":  # "mis en place", "mettons en place": the fixed part
        return "en place"
    for ending in ("er", "ir", "re"):
        if folded.endswith(ending):
            return folded[: -len(ending)]
    return folded


_STEMS = [(verb, _stem(verb)) for verb in ACTION_VERBS]


def action_verbs(text: str) -> list[str]:
    """The action verbs of :data:`ACTION_VERBS` used in ``text`` (any common tense), in the list's order."""
    folded = fold(text)
    words = re.findall(r"[a-z]+", folded)
    found = []
    for verb, stem in _STEMS:
        if " " in stem:
            hit = stem in folded
        else:
            hit = any(word.startswith(stem) and word[len(stem):] in _ENDINGS for word in words)
        if hit:
            found.append(verb)
    return found


def suggest_action_verbs(achievements: Any) -> list[Choice]:
    """One choice per (verb, achievement) found in the actions and results of the achievements."""
    if not isinstance(achievements, Sequence) or isinstance(achievements, str):
        return []
    choices: list[Choice] = []
    for number, item in enumerate(achievements, start=1):
        if not isinstance(item, Mapping):
            continue
        text = " ".join(str(item.get(key) or "") for key in ("action", "resultat"))
        title = str(item.get("titre") or item.get("situation") or f"réalisation {number}")
        for verb in action_verbs(text):
            slug = fold(verb).replace(" ", "_")
            choices.append(Choice(value=f"{slug}@{number}", label=f"{verb.capitalize()} — {title}"))
    return choices


SUGGESTERS: dict[str, Callable[[Any], list[Choice]]] = {
    "verbes_action": suggest_action_verbs,
}


def evidence_number(value: str) -> int | None:
    """The element number carried by a suggested value (``organiser@2`` -> 2)."""
    _, _, number = value.rpartition("@")
    return int(number) if number.isdigit() else None
