"""bilan-tui: a guided interview assistant for French *bilans de compétences*."""

__version__ = "0.1.0"
