"""The phone number type shared by dossiers, CVs and applications."""

from __future__ import annotations

import strawberry

from resolvers.core.validation import phone_display


@strawberry.type(description="A checked phone number.")
class PhoneNumber:
    e164: str = strawberry.field(description="Stored form, E.164 (e.g. +33612345678).")
    national: str = strawberry.field(description="For display, national format (06 12 34 56 78).")
    international: str = strawberry.field(description="International format (+33 6 12 34 56 78).")

    @classmethod
    def from_e164(cls, e164: str | None) -> PhoneNumber | None:
        if e164 is None:
            return None
        shown = phone_display(e164)
        return cls(e164=shown.e164, national=shown.national, international=shown.international)
