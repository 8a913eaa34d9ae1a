"""The pure core: models, the flow schema and the interview engine.

Standard library and pydantic only. No I/O, no clock (callers pass ``now``), no settings.
"""
