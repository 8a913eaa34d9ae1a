"""The frame of a bilan: information préalable, funding and deadlines, the hours ledger.

- :mod:`.information`: the checklist, the screening (bilan, redirection, « en réflexion »), the
  document d'information handed over, the mid-bilan review; what is missing before a convention.
- :mod:`.funding`: funding types, the agreement and its dates, deadlines, :func:`.funding.can_start`,
  payments of a self-funded bilan.
- :mod:`.money`: prices in ``Decimal``, rounded to the cent half up, read from French input.
- :mod:`.convention`: what the convention says, as a view-model of French texts.
- :mod:`.hours`: the hours ledger per phase against the plan, within 24 hours.
- :mod:`.workdays`: public holidays (Alsace-Moselle included) and how legal periods are counted.
- :mod:`.admin_file`: the administrative file, and the funder statement built from it alone.

Pure rules over dates and amounts given by the caller (no clock: ``today`` is a parameter). Every
refusal is a :class:`.errors.ProcedureError` whose text is a French sentence for the person.
"""
