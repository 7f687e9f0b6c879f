"""Shipped reference data: French communes by postal code and the ROME job codes.

Pure Python (no GraphQL, no database). Load once at start-up::

    from refdata import ReferenceData

    ref = ReferenceData.load()
    ref.communes_for_postal_code("22200")

The files live in `refdata/data/`; see `refdata/data/SOURCES.md` and
`python -m refdata.build` to rebuild them.
"""

from refdata.geo import Commune
from refdata.reference import DATA_DIR, ReferenceData
from refdata.rome import JobTitle, Metier
from refdata.text import normalize

__all__ = ["DATA_DIR", "Commune", "JobTitle", "Metier", "ReferenceData", "normalize"]
