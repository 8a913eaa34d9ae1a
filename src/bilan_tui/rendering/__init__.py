"""Rendering results for people: terminal charts now; documents (synthesis, agreement) later."""
