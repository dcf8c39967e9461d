"""``hoanhap person search "TEXT" [--json] [--limit N] [--scope province:91|commune:CODE]``.

Searches like the list page (same ranking, same scoping): acting as ``--user`` narrows to that
user's areas and ``--scope`` narrows further, never wider. With ``--json`` it prints exactly::

    {"results": [{"id": "91-000123", "full_name": "…", "birth_year": 1985 or null,
                  "commune": "Xã Thoại Sơn" or "", "status": "in_management"}]}
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from hoanhap.access import policy
from hoanhap.access.cli import check_scope_allowed, command_actor, scope_argument
from hoanhap.access.roles import Cap
from hoanhap.people import search, selectors
from hoanhap.people.models import Person


class Command(BaseCommand):
    help = "People registry tools. 'search' finds people by name or number in your areas."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        find = sub.add_parser("search", help="Find people by name or number (ranked, scoped).")
        find.add_argument("text", help='A name ("nguyen van hoa") or a number (12 or 9 digits, 91-000123).')
        find.add_argument("--json", action="store_true", help="Print the results as JSON.")
        find.add_argument("--limit", type=int, default=20, help="At most this many results (default 20).")
        scope_argument(find, required=False)

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "search":
            self._search(options)

    def _search(self, options) -> None:
        actor = command_actor()
        area = options.get("scope")
        base = selectors.person_list(actor=actor)
        own = policy.scope_for(actor, Cap.VIEW_PEOPLE)
        narrow = not own.everything and not own.provinces
        if area is not None:
            check_scope_allowed(actor, area, Cap.VIEW_PEOPLE)
            base = base.filter(area.q(Person.area_fields))
            narrow = narrow or not area.provinces
        limit = max(1, min(options["limit"], 1000))
        ids, _more = search.ranked_ids(base, options["text"], limit=limit, narrow=narrow)
        rows = Person.objects.select_related("commune").in_bulk(ids)
        people = [rows[pk] for pk in ids if pk in rows]
        if options["json"]:
            results = [
                {
                    "id": p.record_code,
                    "full_name": p.full_name,
                    "birth_year": p.birth_year,
                    "commune": p.commune.name if p.commune_id else "",
                    "status": p.status,
                }
                for p in people
            ]
            self.stdout.write(json.dumps({"results": results}, ensure_ascii=False))
            return
        for p in people:
            commune = p.commune.name if p.commune_id else "-"
            self.stdout.write(f"{p.record_code}\t{p.full_name}\t{p.birth_year or '-'}\t{commune}\t{p.status}")
