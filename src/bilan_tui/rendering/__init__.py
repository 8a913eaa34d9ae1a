"""Document rendering (synthesis, agreement, attendance): Jinja2 templates and exporters.

Empty for now: the foundation does not export documents yet.
"""
