"""API of judgments, releases and offences: scoped reads, writes through the services, computed status."""

import json

import pytest

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import BA_DINH, HA_NOI, THOAI_SON, make_organisation, make_user, sign_in
from hoanhap.justice.models import Judgment, Release
from hoanhap.justice.tests.records import d, facility, make_judgment, make_person, make_release, offence

pytestmark = pytest.mark.django_db

JUDGMENTS = "/api/v1/justice/judgments/"
RELEASES = "/api/v1/justice/releases/"
OFFENCES = "/api/v1/justice/offences/"


@pytest.fixture
def person():
    return make_person()


@pytest.fixture
def api(client):
    sign_in(client, make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON))
    return client


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


def judgment_json(person, **fields):
    data = {
        "person": person.record_code,
        "court_name": "Tòa án nhân dân tỉnh An Giang",
        "judgment_number": "30/2017/HS-ST",
        "judgment_date": "2017-01-15",
        "offence_committed_on": "2016-06-01",
        "main_penalty_type": "imprisonment",
        "main_penalty_years": 3,
        "main_penalty_started_on": "2016-07-01",
        "offences": [{"offence": offence(173).pk, "clause": "1"}],
        "obligations": [
            {"kind": "court_fee", "amount_due": 200000, "amount_paid": 200000, "completed_on": "2017-02-01"}
        ],
    }
    data.update(fields)
    return data


def test_list_is_scoped_to_the_callers_area(api, person):
    mine = make_judgment(person)
    make_judgment(make_person(province_id=HA_NOI, commune_id=BA_DINH))
    rows = api.get(JUDGMENTS).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["person"] == person.record_code
    assert rows[0]["main_penalty_completion"] == {
        "on": "2019-07-01",
        "source": "computed",
        "explanation": "A term of 3 years served from 01/07/2016 ends on 01/07/2019.",
    }
    assert api.get(JUDGMENTS, {"person": "01-000001"}).json()["results"] == []


def test_out_of_scope_rows_are_not_found(api):
    stranger = make_person(province_id=HA_NOI, commune_id=BA_DINH)
    judgment = make_judgment(stranger)
    release = make_release(judgment)
    assert api.get(f"{JUDGMENTS}{judgment.pk}/").status_code == 404
    assert api.get(f"{RELEASES}{release.pk}/").status_code == 404
    assert api.get(f"/api/v1/justice/people/{stranger.record_code}/expungement/").status_code == 404
    assert send(api, "patch", f"{JUDGMENTS}{judgment.pk}/", {"note": "x", "version": 1}).status_code == 404


def test_create_through_the_service_and_refusals_name_the_field(api, person):
    response = send(api, "post", JUDGMENTS, judgment_json(person))
    assert response.status_code == 201, response.json()
    judgment = Judgment.objects.get(pk=response.json()["id"])
    assert judgment.offences.get().offence.article == 173
    assert person.timeline.filter(kind="justice.judgment.recorded").exists()
    bad = send(
        api,
        "post",
        JUDGMENTS,
        judgment_json(person, offence_committed_on="2017-03-01", offences=[{"offence": 999999}]),
    )
    assert bad.status_code == 400
    assert "offences" in bad.json()  # an unknown offence id: refused by the serializer
    dates = send(api, "post", JUDGMENTS, judgment_json(person, offence_committed_on="2017-03-01"))
    assert dates.status_code == 400
    assert "offence_committed_on" in dates.json()


def test_person_outside_the_area_cannot_be_named(api):
    stranger = make_person(province_id=HA_NOI, commune_id=BA_DINH)
    response = send(api, "post", JUDGMENTS, judgment_json(stranger))
    assert response.status_code == 400
    assert "person" in response.json()
    assert not Judgment.objects.exists()


def test_update_needs_the_version_and_keeps_groups_left_out(api, person):
    judgment = make_judgment(person, obligations=({"kind": "court_fee", "amount_due": 100},))
    url = f"{JUDGMENTS}{judgment.pk}/"
    assert send(api, "patch", url, {"note": "x"}).status_code == 400
    response = send(api, "patch", url, {"main_penalty_years": 4, "version": judgment.version})
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == judgment.version + 1
    assert response.json()["main_penalty_years"] == 4
    assert len(response.json()["obligations"]) == 1  # not sent: kept
    stale = send(api, "patch", url, {"note": "y", "version": judgment.version})
    assert stale.status_code == 400
    rows = send(
        api,
        "patch",
        url,
        {
            "version": judgment.version + 1,
            "additional_penalties": [
                {"type": "residence_ban", "starts_on": "2019-07-01", "completed_on": "2019-06-01"}
            ],
        },
    )
    assert rows.status_code == 400
    assert "additional_penalties[0].completed_on" in rows.json()


def test_release_api_records_and_refuses_a_release_before_the_judgment(api, person):
    judgment = make_judgment(person)
    prison = facility()
    data = {
        "person": person.record_code,
        "judgment": judgment.pk,
        "facility": prison.pk,
        "release_date": "2019-07-01",
        "kind": "completed_term",
    }
    created = send(api, "post", RELEASES, data)
    assert created.status_code == 201, created.json()
    assert Release.objects.get().facility == prison
    early = send(api, "post", RELEASES, {**data, "release_date": "2016-12-31"})
    assert early.status_code == 400
    assert "release_date" in early.json()
    not_a_prison = make_organisation(Organisation.Kind.COMMUNE_POLICE)
    assert "facility" in send(api, "post", RELEASES, {**data, "facility": not_a_prison.pk}).json()


def test_offence_catalogue_is_read_only_and_searchable(api):
    rows = api.get(OFFENCES, {"q": "ma tuy", "limit": 100}).json()["results"]
    assert {row["article"] for row in rows} >= {249, 250, 251, 255}
    assert all(row["chapter"] == 20 for row in rows)
    assert api.get(OFFENCES, {"chapter": 13}).json()["count"] >= 5
    assert send(api, "post", OFFENCES, {"article": 999, "name": "x"}).status_code == 405


def test_person_expungement_and_judgment_recidivism_are_computed(api, person):
    first = make_judgment(person)
    second = make_judgment(
        person,
        articles=(171,),
        judgment_date=d("2020-06-01"),
        offence_committed_on=d("2020-03-01"),
        main_penalty_type="suspended_imprisonment",
        main_penalty_years=1,
        probation_years=2,
        main_penalty_started_on=None,
    )
    body = api.get(f"/api/v1/justice/people/{person.record_code}/expungement/").json()
    assert (body["status"], body["expunged_on"], body["current_judgment"]) == ("expunged", "2024-06-01", None)
    assert body["records"][0]["result"]["eligible_on"] == "2024-06-01"
    assert body["records"][0]["case"]["new_convictions"][0]["offence_committed_on"] == "2020-03-01"
    assert "Art. 73(2)" in body["records"][0]["result"]["rule"]
    recidivism = api.get(f"{JUDGMENTS}{second.pk}/recidivism/").json()
    assert recidivism["classification"] == "recidivism"
    assert recidivism["prior_judgments"] == [{"judgment": first.pk, "expunged": False}]


def test_helper_and_committee_writes_are_refused(client, person):
    org = make_organisation(Organisation.Kind.WOMENS_UNION)
    sign_in(client, make_user(Role.HELPER, organisation=org))
    assert client.get(JUDGMENTS).status_code == 403
    assert client.get(OFFENCES).status_code == 403
    client.logout()
    sign_in(client, make_user(Role.COMMUNE_COMMITTEE, commune=THOAI_SON))
    assert client.get(JUDGMENTS).status_code == 200
    assert send(client, "post", JUDGMENTS, judgment_json(person)).status_code == 403
