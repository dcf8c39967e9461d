"""Demo step "population": some twelve thousand people of old An Giang and their stories, 2015–2027.

The stories are planned by ``hoanhap.demo.lifecycles`` (seeded, the same on every machine) and
written up to today in bulk (``hoanhap.demo.story`` through ``hoanhap.demo.rows``): the people,
their judgments and releases, the facilities' notices, receptions, management events,
classifications, transfers, ends of management, residence history and timeline. A load takes
seconds instead of the many minutes the services would need for ~400,000 rows, so the writer keeps
by itself the invariants the services enforce:

* the status of each person is the one the workflow (``intake.workflow``) reaches through their
  events, each event recording its status before and after, in the unit where it happened;
* the person's current commune is the commune of their last notice or confirmed transfer (the
  commune managing them), with a residence history row per move;
* a classification, a transfer or an end happens only in the statuses that allow it; a
  conditionally released person enters management when the probation ends;
* every event has its timeline entry, worded as the services word them.

Bulk inserts bypass the automatic audit capture of ``audited`` models, so each batch writes one
audit entry (``demo.population.batch``) that says so and counts the rows it inserted.

Idempotent: people are matched on their personal identification number; a person already in the
database is left alone, a missing one is created with their whole story.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.audit import services as audit
from hoanhap.demo import lifecycles, names
from hoanhap.demo import province as demo
from hoanhap.demo.lifecycles import PersonPlan, Place
from hoanhap.demo.rows import reset_sequences
from hoanhap.demo.story import TABLES, Writer
from hoanhap.geo.models import Commune, CommuneSuccession
from hoanhap.people.models import Person, RecordSequence, format_record_code

BATCH_PEOPLE = 2500

# Communities by commune (share of each minority; the rest are Kinh), from where they live.
KHMER_SHARE = {30544: 0.45, 30547: 0.3, 30577: 0.6, 30580: 0.4, 30538: 0.35, 30526: 0.45, 30520: 0.2,
               30505: 0.2, 30502: 0.15, 30568: 0.1}  # fmt: skip
CHAM_SHARE = {30403: 0.35, 30341: 0.15, 30346: 0.15, 30385: 0.1, 30337: 0.1, 30463: 0.1, 30376: 0.08}
HOA_SHARE = {30307: 0.08, 30316: 0.08, 30292: 0.05, 30301: 0.05, 30376: 0.05}
BUSY_WARDS = {demo.LONG_XUYEN: 2.0, demo.CHAU_DOC: 2.0}
# Where people move to outside the demo communes: old Kiên Giang (same province) and other provinces.
DESTINATIONS = [(91, "Phường Rạch Giá"), (91, "Đặc khu Phú Quốc"), (92, "Phường Ninh Kiều"),
                (92, "Phường Cái Khế"), (79, "Phường Sài Gòn"), (82, "Phường Mỹ Tho"), (86, "Phường Phú Khương")]  # fmt: skip

COUNTED = {
    "people": "people.person",
    "judgments": "justice.judgment",
    "releases": "justice.release",
    "notices": "intake.releasenotice",
    "management_events": "intake.managementevent",
}
COUNT_KEYS = tuple(COUNTED)


# -- places ----------------------------------------------------------------------------------------


def _courts(codes: list[int]) -> dict[int, str]:
    """The district court of each commune's first predecessor ("Tòa án nhân dân huyện Tri Tôn")."""
    courts: dict[int, str] = {}
    rows = (
        CommuneSuccession.objects.filter(commune_id__in=codes)
        .order_by("commune_id", "legacy_commune_id")
        .values_list("commune_id", "legacy_commune__district__name")
    )
    for code, district in rows:
        if code not in courts and district:
            courts[code] = "Tòa án nhân dân " + district[0].lower() + district[1:]
    return courts


def _place(commune: Commune, court: str, **extra: Any) -> Place:
    return Place(
        code=commune.code,
        province=commune.province_id,
        name=commune.name,
        is_ward=commune.name.startswith("Phường"),
        court=court or f"Tòa án nhân dân {commune.province.name}",
        **extra,
    )


def places() -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    """The demo communes (with their communities and weights) and the places people move to."""
    own = list(demo.communes_from_old_an_giang().select_related("province"))
    courts = _courts([c.code for c in own])
    home = []
    for commune in own:
        khmer, cham, hoa = (KHMER_SHARE.get(commune.code, 0), CHAM_SHARE.get(commune.code, 0),
                            HOA_SHARE.get(commune.code, 0.02))  # fmt: skip
        communities = ((names.KINH, 1 - khmer - cham - hoa), (names.KHMER, khmer), (names.CHAM, cham),
                       (names.HOA, hoa))  # fmt: skip
        weight = BUSY_WARDS.get(commune.code, 1.5 if commune.name.startswith("Phường") else 1.0)
        home.append(_place(commune, courts.get(commune.code, ""), weight=weight, communities=communities))
    found = []
    for province, name in DESTINATIONS:
        commune = Commune.objects.select_related("province").filter(province_id=province, name=name).first()
        if commune is not None:
            found.append(commune)
    courts = _courts([c.code for c in found])
    return tuple(home), tuple(_place(c, courts.get(c.code, "")) for c in found)


@functools.lru_cache(maxsize=2)
def _plan(home: tuple[Place, ...], away: tuple[Place, ...]) -> tuple[PersonPlan, ...]:
    elsewhere = [p for p in away if p.province != demo.PROVINCE]
    return tuple(lifecycles.plan(list(home), list(away), elsewhere, province=demo.PROVINCE))


def population_plan() -> tuple[PersonPlan, ...]:
    """The planned population (computed once per process for the same geography)."""
    home, away = places()
    return _plan(home, away)


def _record_codes(people: list[PersonPlan]) -> list[str]:
    """Take the next record numbers of each province (the sequence rows are locked until commit)."""
    wanted = Counter(p.record_province for p in people)
    start: dict[int, int] = {}
    for province, count in wanted.items():
        RecordSequence.objects.get_or_create(province_id=province)
        sequence = RecordSequence.objects.select_for_update().get(province_id=province)
        start[province] = sequence.last_number
        sequence.last_number += count
        sequence.save(update_fields=["last_number"])
    codes = []
    for p in people:
        start[p.record_province] += 1
        codes.append(format_record_code(p.record_province, start[p.record_province]))
    return codes


def load() -> dict[str, int]:
    """Create the demo people not yet in the database, with their stories up to today."""
    horizon = timezone.localdate()
    existing = set(Person.objects.exclude(personal_id=None).values_list("personal_id", flat=True))
    todo = [p for p in population_plan() if p.registered_on <= horizon and p.personal_id not in existing]
    created = dict.fromkeys(COUNT_KEYS, 0)
    if not todo:
        return created
    codes = _record_codes(todo)
    writer = Writer(horizon)
    for start in range(0, len(todo), BATCH_PEOPLE):
        batch = todo[start : start + BATCH_PEOPLE]
        for plan, code in zip(batch, codes[start : start + BATCH_PEOPLE], strict=True):
            writer.add(plan, code)
        inserted = writer.flush()
        audit.record(
            "demo.population.batch",
            target_type="demo.step",
            target_id="population",
            target_repr=_("Demo population: {first} to {last}").format(
                first=codes[start], last=codes[start + len(batch) - 1]
            ),
            data={
                "rows": {table: n for table, n in inserted.items() if n},
                "bulk": True,
                "note": "Inserted in bulk by the demo loader, which bypasses the automatic audit of each "
                "row; this entry stands for the rows counted here.",
            },
            province=demo.PROVINCE,
        )
        for key, table in COUNTED.items():
            created[key] += inserted.get(table, 0)
    reset_sequences(list(TABLES))
    refresh_statistics()
    return created


def refresh_statistics() -> None:
    """Give the query planner the statistics of the new rows (a fraction of a second).

    Without them SQLite picks the (kind, date) index of the events for per-person lookups and
    PostgreSQL plans for empty tables (autovacuum does not see rows before the commit), and the
    period summary takes seconds to minutes instead of a fraction of a second.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in TABLES)
            cursor.execute(f"ANALYZE {tables}")
