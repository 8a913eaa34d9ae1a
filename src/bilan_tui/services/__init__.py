"""Application services: what the terminal UI and the command line both do, written once.

A service opens a dossier through storage, reads the flows, asks the domain, hands the result to
rendering, and says what went wrong in French. It sits between the two front ends (tui, cli) and the
three siblings (flows, storage, rendering).
"""
