"""Reading intake records, always through ``hoanhap.access.policy``.

Who sees what:

* a release notice: the areas covering the commune it names (``view_people``), and the detention
  facility that sent it (``send_notices``, through the facility's organisation) — a facility sees
  only its own notices, never the person record behind them;
* a transfer: the areas of the sending commune, and those of the receiving commune once it is sent;
* everything else: the areas of its unit (``area_fields`` on each model).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from hoanhap.access import policy
from hoanhap.access.models import AreaFields
from hoanhap.access.roles import Cap, Scoping
from hoanhap.intake.models import (
    CalendarDay,
    Classification,
    ManagementEnd,
    ManagementEvent,
    Reception,
    ReleaseNotice,
    Transfer,
)
from hoanhap.people.models import Person

INCOMING = AreaFields(province="to_province", commune="to_commune")


# -- notices ---------------------------------------------------------------------------------------


def facility_ids(actor: Any) -> set[int]:
    """Detention facilities the actor sends notices for (none for area roles and the system)."""
    if policy.is_system(actor) or not policy.has_cap(actor, Cap.SEND_NOTICES):
        return set()
    return policy.organisation_ids(actor, Scoping.FACILITY)


def notice_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[ReleaseNotice]:
    """Notices naming a commune in the actor's areas, newest first."""
    queryset = ReleaseNotice.objects.select_related("person", "facility", "province", "commune")
    return policy.restrict(queryset, actor, cap).order_by("-received_on", "-pk")


def notice_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> ReleaseNotice:
    queryset = ReleaseNotice.objects.select_related("person", "facility", "province", "commune")
    return policy.get_or_404(queryset, actor, cap, pk=pk)


def facility_notice_list(*, actor: Any) -> QuerySet[ReleaseNotice]:
    """The notices the actor's detention facility sent, and nothing else."""
    queryset = ReleaseNotice.objects.select_related("person", "facility", "province", "commune")
    own = Q(facility_id__in=sorted(facility_ids(actor)))
    return policy.restrict(queryset, actor, Cap.SEND_NOTICES, extra_q=own).order_by("-received_on", "-pk")


def facility_notice_get(*, actor: Any, pk: int) -> ReleaseNotice:
    own = Q(facility_id__in=sorted(facility_ids(actor)))
    queryset = ReleaseNotice.objects.select_related("person", "facility", "province", "commune")
    return policy.get_or_404(queryset, actor, Cap.SEND_NOTICES, extra_q=own, pk=pk)


# -- transfers -------------------------------------------------------------------------------------


def incoming_q(actor: Any, cap: str) -> Q:
    """Transfers whose receiving commune lies in the actor's areas."""
    return policy.scope_for(actor, cap).q(INCOMING)


def transfer_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[Transfer]:
    """Transfers out of the actor's areas and transfers into them."""
    queryset = Transfer.objects.select_related(
        "person", "from_commune", "to_commune", "from_province", "to_province"
    )
    return policy.restrict(queryset, actor, cap, extra_q=incoming_q(actor, cap)).order_by("-sent_on", "-pk")


def transfer_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> Transfer:
    queryset = Transfer.objects.select_related(
        "person", "from_commune", "to_commune", "from_province", "to_province"
    )
    return policy.get_or_404(queryset, actor, cap, extra_q=incoming_q(actor, cap), pk=pk)


def is_receiver(actor: Any, transfer: Transfer, cap: str = Cap.EDIT_CASEWORK) -> bool:
    return policy.scope_for(actor, cap).covers(
        province=transfer.to_province_id, commune=transfer.to_commune_id
    )


# -- other records ---------------------------------------------------------------------------------


def reception_get(*, actor: Any, pk: int, cap: str = Cap.VIEW_JUDGMENTS) -> Reception:
    queryset = Reception.objects.select_related("person", "province", "commune", "officer")
    return policy.get_or_404(queryset, actor, cap, pk=pk)


def reception_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[Reception]:
    queryset = Reception.objects.select_related("person", "province", "commune", "officer")
    return policy.restrict(queryset, actor, cap)


def classification_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[Classification]:
    return policy.restrict(Classification.objects.select_related("person", "decided_by"), actor, cap)


def management_end_list(*, actor: Any, cap: str = Cap.VIEW_JUDGMENTS) -> QuerySet[ManagementEnd]:
    return policy.restrict(ManagementEnd.objects.select_related("person", "province", "commune"), actor, cap)


def calendar_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


# -- the person ------------------------------------------------------------------------------------


def person_history(person: Person) -> dict[str, Any]:
    """Everything intake recorded for one person (the caller has checked the person is in scope)."""
    return {
        "events": person.management_events.select_related("commune", "created_by").order_by(
            "-occurred_on", "-pk"
        ),
        "notices": person.release_notices.select_related("facility", "commune").order_by(
            "-received_on", "-pk"
        ),
        "receptions": person.receptions.select_related("commune", "officer").order_by("-reported_on", "-pk"),
        "classifications": person.classifications.select_related("decided_by").order_by("-decided_on", "-pk"),
        "transfers": person.transfers.select_related("from_commune", "to_commune").order_by(
            "-sent_on", "-pk"
        ),
        "ends": person.management_ends.order_by("-ended_on", "-pk"),
    }


def last_event(person: Person, kind: str) -> ManagementEvent | None:
    return person.management_events.filter(kind=kind).order_by("-occurred_on", "-pk").first()


def open_transfer(person: Person) -> Transfer | None:
    return person.transfers.filter(status=Transfer.Status.SENT).select_related("to_commune").first()


def can_act(actor: Any, person: Person) -> bool:
    """Whether the actor does casework in the person's unit (the step buttons are offered)."""
    return policy.scope_for(actor, Cap.EDIT_CASEWORK).covers(
        province=person.province_id, commune=person.commune_id
    )


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
