"""Builders of stored judgments and releases for the justice tests (through the services)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hoanhap.access.models import Organisation
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_organisation
from hoanhap.justice import services
from hoanhap.justice.models import Judgment, Offence, Release
from hoanhap.people.models import Person

_seq = itertools.count(1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def make_person(**fields: Any) -> Person:
    values = {
        "full_name": "Lê Văn Tâm",
        "sex": Person.Sex.MALE,
        "birth_year": 1988,
        "province_id": AN_GIANG,
        "commune_id": THOAI_SON,
        "status": Person.Status.IN_MANAGEMENT,
    }
    values.update(fields)
    return Person.objects.create(**values)


def offence(article: int) -> Offence:
    return Offence.objects.get(article=article, clause="")


def judgment_data(**fields: Any) -> dict[str, Any]:
    """3 years' imprisonment for an offence of 01/06/2016, judged 15/01/2017, served from 01/07/2016."""
    data = {
        "court_name": "Tòa án nhân dân huyện Thoại Sơn",
        "judgment_number": f"{next(_seq)}/2017/HS-ST",
        "judgment_date": d("2017-01-15"),
        "offence_committed_on": d("2016-06-01"),
        "main_penalty_type": "imprisonment",
        "main_penalty_years": 3,
        "main_penalty_started_on": d("2016-07-01"),
    }
    data.update(fields)
    return data


def make_judgment(
    person: Person,
    *,
    articles: tuple = (173,),
    additional: tuple = (),
    obligations: tuple = (),
    actor: Any = None,
    **fields: Any,
) -> Judgment:
    """A judgment through ``services.judgment_create`` (as the system actor unless ``actor``).

    ``articles`` items are article numbers or dicts of an offence line; ``additional`` and
    ``obligations`` are dicts of lines.
    """
    from hoanhap.access.policy import SYSTEM

    lines = [a if isinstance(a, dict) else {"offence": offence(a)} for a in articles]
    return services.judgment_create(
        actor=actor or SYSTEM,
        person=person,
        data=judgment_data(**fields),
        offences=lines,
        additional_penalties=list(additional),
        obligations=list(obligations),
    )


def facility() -> Organisation:
    return make_organisation(
        Organisation.Kind.DETENTION_FACILITY, commune=None, name=f"Trại giam Định Thành {next(_seq)}"
    )


def make_release(judgment: Judgment, *, actor: Any = None, **fields: Any) -> Release:
    from hoanhap.access.policy import SYSTEM

    data = {
        "judgment": judgment,
        "facility": facility(),
        "release_date": d("2019-07-01"),
        "kind": Release.Kind.COMPLETED_TERM,
        "certificate_number": f"{next(_seq)}/GCN",
        "certificate_date": d("2019-07-01"),
        "allowance_amount": 500_000,
    }
    data.update(fields)
    return services.release_record(actor=actor or SYSTEM, person=judgment.person, data=data)
