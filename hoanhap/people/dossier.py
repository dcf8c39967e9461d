"""The printable dossier of a person: HTML rendered to PDF by WeasyPrint.

Fonts are named explicitly ("Noto Sans", then "DejaVu Sans") so that Vietnamese prints the same
whatever the generic families resolve to on the server.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from hoanhap.people import selectors
from hoanhap.people.models import Person


def render_dossier(person: Person, *, request=None) -> bytes:
    from weasyprint import HTML

    photo_uri = ""
    if person.photo:
        try:
            photo_uri = "file://" + person.photo.path
        except (NotImplementedError, ValueError):
            photo_uri = ""
    user = getattr(request, "user", None)
    reader = user if getattr(user, "is_authenticated", False) else None
    html = render_to_string(
        "people/dossier.html",
        {
            "person": person,
            "relatives": selectors.relatives_of(person),
            "residences": selectors.residences_of(person),
            "timeline": selectors.timeline_of(person, actor=reader),
            "printed_at": timezone.now(),
            "printed_by": user if getattr(user, "is_authenticated", False) else None,
            "photo_uri": photo_uri,
        },
    )
    return HTML(string=html, base_url="/").write_pdf()
