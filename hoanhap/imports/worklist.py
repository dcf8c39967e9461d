"""The worklist section of imports: people whose split legacy commune is still to choose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoanhap.access import policy
from hoanhap.access.roles import Cap
from hoanhap.intake.worklist import Item, Section


def sections(actor: Any, today: dt.date) -> list[Section]:
    """One section (two queries) for officers who may edit people."""
    if not policy.has_cap(actor, Cap.EDIT_PEOPLE):
        return []
    from hoanhap.imports import selectors

    items = [
        Item(
            person=choice.person,
            what=_("Choose the commune of residence: “{text}” was split").format(text=choice.address_text),
            due_on=None,
            url=choice.get_absolute_url(),
            action=_("Choose the commune"),
            detail=", ".join(c.commune.name for c in choice.candidates.all()),
            today=today,
        )
        for choice in selectors.residence_choices(actor=actor)[:200]
    ]
    return [
        Section(
            "residence_choice",
            gettext_lazy("Residences to choose after an import"),
            gettext_lazy(
                "These people were imported with a legacy commune that was split between several communes."
            ),
            items,
        )
    ]
