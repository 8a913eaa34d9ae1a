"""French typography of the documents: the spaces French punctuation asks for, and nothing else."""

from __future__ import annotations

import pytest

from bilan_tui.domain.typography import NBSP, NNBSP, french_typography


@pytest.mark.parametrize(("typed", "printed"), [
    ("« Bonjour »", f"«{NBSP}Bonjour{NBSP}»"),
    ("«Bonjour»", f"«{NBSP}Bonjour{NBSP}»"),
    ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
    ("Pourquoi?", f"Pourquoi{NNBSP}?"),
    ("Enfin !", f"Enfin{NNBSP}!"),
    ("d'abord ; ensuite", f"d'abord{NNBSP}; ensuite"),
    ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
    ("Note : à lire", f"Note{NBSP}: à lire"),
    ("Note: à lire", f"Note{NBSP}: à lire"),
    ("Déjà\u00a0!", f"Déjà{NNBSP}!"),
    ("trop  d'espaces   ici", "trop d'espaces ici"),
])
def test_french_spacing(typed: str, printed: str) -> None:
    assert french_typography(typed) == printed


@pytest.mark.parametrize("text", [
    "de 14:00 à 16:30",
    "voir https://www.francetravail.fr/offres?page=2&tri=date",
    "écrire à marie.dupont@example.fr",
    "(?)",
    "",
])
def test_times_addresses_and_odd_marks_are_left_alone(text: str) -> None:
    assert french_typography(text) == text


def test_an_address_followed_by_punctuation_keeps_the_punctuation_spaced() -> None:
    assert french_typography("voir https://x.fr/a?b=1 ! puis www.y.fr: ok") == (
        f"voir https://x.fr/a?b=1{NNBSP}! puis www.y.fr{NBSP}: ok")


def test_lines_are_kept_and_it_is_idempotent() -> None:
    text = "Première ligne : « oui »\nDeuxième ligne ; enfin !"
    once = french_typography(text)
    assert once.count("\n") == 1
    assert french_typography(once) == once


def test_a_long_pasted_token_takes_linear_time() -> None:
    import time

    token = "x." * 10_000 + "y"  # looks like the start of an e-mail address, 20,001 characters
    start = time.perf_counter()
    assert french_typography(token + " ?") == token + f"{NNBSP}?"
    assert time.perf_counter() - start < 1.0
