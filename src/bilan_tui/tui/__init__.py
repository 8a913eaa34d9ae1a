"""The Textual interface: a thin App, screens and widgets. Imported by the cli only."""
