"""Export of a whole province or commune, as a background job: what may be exported, starting it,
following and downloading it.

The job (``jobs.export``) writes the workbook the ``hoanhap export`` command writes
(``writer.export_scope``); ``export_start`` checks the request the way the command does
(``view_judgments`` on the scope, a purpose) before anything is queued; the job checks the scope
again when it runs, as the user's grants may have changed in between. Downloading the file is a
sensitive read, audited with the export's purpose.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.cli import check_scope_allowed, parse_scope
from hoanhap.access.policy import AreaScope
from hoanhap.audit import services as audit
from hoanhap.jobs import services as jobs
from hoanhap.jobs.models import Job

EXPORT = "imports.export"


def export_cap() -> str:
    """The capability an export needs on its scope: the writer's (the file carries judgments)."""
    from hoanhap.imports.exporting.writer import CAP

    return CAP


def export_scope_choices(actor: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The units ``actor`` may export, grouped by province: the province itself (a province account),
    then its communes (a commune account: only its own). A whole-country account chooses a province.
    Two queries."""
    from hoanhap.geo.models import Commune, Province

    own = policy.scope_for(actor, export_cap())
    if own.is_empty:
        return []
    if own.everything:
        provinces = Province.objects.order_by("name_folded").values_list("code", "name")
        return [(_("Provinces"), [(f"province:{code}", name) for code, name in provinces])]
    communes = list(
        Commune.objects.filter(Q(province_id__in=own.provinces) | Q(code__in=own.communes))
        .order_by("name_folded")
        .values_list("code", "name", "province_id", "province__name", "province__name_folded")
    )
    names = {p: (folded, name) for _c, _n, p, name, folded in communes}
    groups = []
    for province in sorted(names, key=lambda p: names[p][0]):
        name = names[province][1]
        options = []
        if province in own.provinces:
            options.append((f"province:{province}", _("The whole province: {name}").format(name=name)))
        options += [(f"commune:{code}", commune) for code, commune, p, _pn, _pf in communes if p == province]
        groups.append((name, options))
    return groups


def export_check_scope(actor: Any, text: str) -> AreaScope:
    """``province:CODE`` or ``commune:CODE`` within the actor's areas, as ``hoanhap export`` checks it.

    A malformed or unknown unit is a ValidationError; a unit outside the actor's areas is refused with
    PermissionDenied (nothing is revealed about it)."""
    try:
        scope = parse_scope((text or "").strip())
    except argparse.ArgumentTypeError as exc:
        raise ValidationError({"scope": str(exc)}) from exc
    try:
        check_scope_allowed(actor, scope, export_cap())
    except CommandError as exc:
        raise PermissionDenied(_("The scope is outside your areas.")) from exc
    return scope


def _unit_name(text: str) -> str:
    from hoanhap.geo.models import Commune, Province

    kind, _sep, code = text.partition(":")
    model = Province if kind == "province" else Commune
    return model.objects.filter(pk=int(code)).values_list("name", flat=True).first() or text


def export_start(actor: Any, *, scope: str, purpose: str, with_details: bool = True) -> Job:
    """Queue the export of ``scope`` for ``actor`` (the job runs as them and the writer audits it)."""
    if not policy.has_cap(actor, export_cap()) or not getattr(actor, "pk", None):
        raise PermissionDenied(_("You may not export data."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Give the purpose of the export.")})
    checked = export_check_scope(actor, scope)
    text = scope.strip()
    return jobs.start(
        EXPORT,
        user=actor,
        title=_("Export of {unit}").format(unit=_unit_name(text)),
        params={
            "scope": text,
            "purpose": purpose[:255],
            "with_details": bool(with_details),
            "province": min(checked.provinces) if checked.provinces else None,
            "commune": min(checked.communes) if checked.communes else None,
        },
    )


def export_file_name(scope: str, when=None) -> str:
    kind, _sep, code = scope.partition(":")
    stamp = timezone.localtime(when).strftime("%Y%m%d-%H%M")
    return f"hoanhap-{kind}-{code}-{stamp}.xlsx"


def export_jobs_of(user: Any, *, limit: int = 10) -> list[Job]:
    """The user's own latest exports (one query)."""
    return list(Job.objects.filter(user=user, kind=EXPORT).order_by("-created_at", "-pk")[:limit])


def export_job_get(*, user: Any, pk: int) -> Job:
    """An export job the user may follow and download: as the jobs app rules (their own; a system
    administrator any), and of this kind only. Anything else is not found."""
    from hoanhap.jobs import selectors as job_selectors

    try:
        return job_selectors.job_list(user=user).filter(kind=EXPORT).get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


def export_record_download(job: Job) -> None:
    """The download of an export file is a sensitive read: audited with the export's purpose, in the
    exported unit."""
    audit.record(
        "jobs.job.viewed",
        target=job,
        purpose=job.params.get("purpose") or job.title,
        data={"what": "export file", "file": job.result_name, "scope": job.params.get("scope", "")},
        province=job.params.get("province"),
        commune=job.params.get("commune"),
    )
