"""The frame of a bilan: information préalable, funding and deadlines, the hours ledger.

Pure rules over dates and amounts given by the caller (no clock: ``today`` is a parameter). Every
refusal is a :class:`ProcedureError` whose text is a French sentence for the person.
"""
