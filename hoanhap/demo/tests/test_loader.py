"""load_demo(): the demo province An Giang, its organisations and one account per role."""

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.utils import translation

from hoanhap.access import policy
from hoanhap.access.models import Organisation, RoleAssignment, User
from hoanhap.access.roles import Cap, Role
from hoanhap.audit.models import AuditEvent
from hoanhap.demo import accounts, loader, organisations
from hoanhap.demo import province as demo_province
from hoanhap.demo.loader import describe, load_demo
from hoanhap.demo.models import LoadedStep
from hoanhap.geo.models import Commune, LegacyCommune

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
THOAI_SON, TRI_TON, CHAU_DOC = 30682, 30544, 30316


def snapshot() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "grants": RoleAssignment.objects.count(),
        "audit": AuditEvent.objects.count(),
        "steps": LoadedStep.objects.count(),
    }


def user(username: str) -> User:
    return User.objects.get(username=username)


def visible_orgs(account: User) -> set[int]:
    return set(
        policy.restrict(Organisation.objects.all(), account, Cap.VIEW_ORGANISATIONS).values_list(
            "pk", flat=True
        )
    )


def test_first_run_creates_organisations_accounts_and_grants(demo):
    """A first run creates every demo organisation, one account per role and its grant."""
    assert demo["skipped"] is False
    assert demo["created"]["organisations"] == len(organisations.organisation_specs())
    assert demo["created"]["accounts"] == demo["created"]["grants"] == len(accounts.ACCOUNTS) == 10
    assert set(LoadedStep.objects.values_list("name", flat=True)) == {s.name for s in loader.STEPS}
    assert {a.role for a in accounts.ACCOUNTS} == set(Role.values)


@pytest.mark.parametrize(
    ("username", "role", "province", "commune", "org_kind", "org_commune"),
    [
        ("admin", Role.SYSTEM_ADMIN, None, None, None, None),
        ("qtv.angiang", Role.PROVINCE_ACCOUNT_ADMIN, 91, None, None, None),
        ("canbo.tinh", Role.PROVINCE_OFFICER, 91, None, None, None),
        ("lanhdao.tinh", Role.PROVINCE_LEADER, 91, None, None, None),
        ("canbo.thoaison", Role.COMMUNE_OFFICER, 91, THOAI_SON, None, None),
        ("canbo.triton", Role.COMMUNE_OFFICER, 91, TRI_TON, None, None),
        ("ubnd.thoaison", Role.COMMUNE_COMMITTEE, 91, THOAI_SON, None, None),
        ("hoiphunu.thoaison", Role.HELPER, 91, None, Kind.WOMENS_UNION, THOAI_SON),
        ("quy.triton", Role.FUND_OFFICER, 91, None, Kind.LOAN_FUND, TRI_TON),
        ("trai.dinhthanh", Role.FACILITY, 91, None, Kind.DETENTION_FACILITY, None),
    ],
)
def test_each_account_holds_its_role_on_its_unit(
    demo, username, role, province, commune, org_kind, org_commune
):
    """Each demo account has exactly one grant in force, on the unit (or organisation) of its role."""
    account = user(username)
    [grant] = account.active_assignments()
    assert (grant.role, grant.province_id, grant.commune_id) == (role, province, commune)
    if org_kind is None:
        assert grant.organisation is None
    else:
        assert (grant.organisation.kind, grant.organisation.commune_id) == (org_kind, org_commune)
        assert account.organisation == grant.organisation
    assert account.full_name not in {"", account.username}
    assert account.is_active
    assert not account.must_change_password


def test_commune_officer_sees_only_thoai_son_organisations(demo):
    """canbo.thoaison's organisation list is Thoại Sơn's bodies, and nothing from elsewhere."""
    seen = Organisation.objects.filter(pk__in=visible_orgs(user("canbo.thoaison")))
    assert set(seen.values_list("commune_id", flat=True)) == {THOAI_SON}
    names = set(seen.values_list("name", flat=True))
    assert {
        "Công an xã Thoại Sơn",
        "Ủy ban nhân dân xã Thoại Sơn",
        "Hội Liên hiệp Phụ nữ xã Thoại Sơn",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Thoại Sơn",
        "Ban Trị sự Phật giáo Hòa Hảo xã Thoại Sơn",
    } <= names
    assert "Công an tỉnh An Giang" not in names


def test_province_officer_sees_every_organisation_of_the_province(demo):
    """canbo.tinh sees all of province 91 and not the facility in Cà Mau."""
    seen = visible_orgs(user("canbo.tinh"))
    assert seen == set(Organisation.objects.filter(province_id=91).values_list("pk", flat=True))
    assert Organisation.objects.get(name="Trại giam Cái Tàu").pk not in seen


def test_commune_police_exist_for_exactly_the_communes_of_old_an_giang(demo):
    """Every commune police sits in a current commune that came from legacy province 89, and each
    such commune has one, named with the commune's own type word."""
    from_old_an_giang = set(
        LegacyCommune.objects.filter(district__province__code=89).values_list(
            "successions__commune", flat=True
        )
    )
    police = Organisation.objects.filter(kind=Kind.COMMUNE_POLICE).select_related("commune")
    assert police.count() == len(from_old_an_giang) > 50
    assert {p.commune_id for p in police} == from_old_an_giang
    for org in police:
        assert org.province_id == 91
        assert org.name == f"Công an {org.commune.kind} {org.commune.short_name}"
    assert police.filter(name="Công an phường Châu Đốc", commune_id=CHAU_DOC).exists()
    assert police.filter(name="Công an xã Thoại Sơn", commune_id=THOAI_SON).exists()
    assert not police.filter(commune__name="Phường Rạch Giá").exists()  # old Kiên Giang


def test_the_named_partner_organisations_exist_where_they_belong(demo):
    """The mass organisations, religious partners, fund, facilities and employers of the brief."""
    expected = [
        (Kind.PROVINCE_POLICE, "Công an tỉnh An Giang", 91, None),
        (Kind.PROVINCE_COMMITTEE, "Ủy ban nhân dân tỉnh An Giang", 91, None),
        (Kind.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang", 91, None),
        (Kind.WOMENS_UNION, "Hội Liên hiệp Phụ nữ tỉnh An Giang", 91, None),
        (Kind.YOUTH_UNION, "Tỉnh đoàn An Giang", 91, None),
        (Kind.VETERANS, "Hội Cựu chiến binh tỉnh An Giang", 91, None),
        (Kind.FARMERS_UNION, "Hội Nông dân tỉnh An Giang", 91, None),
        (Kind.WOMENS_UNION, "Hội Liên hiệp Phụ nữ xã Tri Tôn", 91, TRI_TON),
        (Kind.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam phường Châu Đốc", 91, CHAU_DOC),
        (Kind.RELIGIOUS_PARTNER, "Ban Trị sự Phật giáo Hòa Hảo xã Thoại Sơn", 91, THOAI_SON),
        (Kind.RELIGIOUS_PARTNER, "Ban Trị sự Trung ương Giáo hội Phật giáo Hòa Hảo", 91, None),
        (Kind.LOAN_FUND, "Quỹ Doanh nhân với an ninh trật tự", 91, TRI_TON),
        (Kind.DETENTION_FACILITY, "Trại giam Định Thành", 91, None),
        (Kind.DETENTION_FACILITY, "Trại tạm giam Công an tỉnh An Giang", 91, None),
        (Kind.DETENTION_FACILITY, "Trại giam Cái Tàu", 96, None),
    ]
    for kind, name, province, commune in expected:
        assert Organisation.objects.filter(
            kind=kind, name=name, province_id=province, commune_id=commune
        ).exists(), name
    assert Organisation.objects.filter(kind=Kind.EMPLOYER, province_id=91).count() >= 2
    assert Organisation.objects.filter(kind=Kind.TRAINING_INSTITUTION, province_id=91).exists()
    # Every commune-level body is in a commune of its own province.
    for org in Organisation.objects.exclude(commune=None).select_related("commune"):
        assert org.commune.province_id == org.province_id


def test_the_communes_named_by_the_demo_came_from_old_an_giang(demo):
    own = set(demo_province.communes_from_old_an_giang().values_list("code", flat=True))
    named = {demo_province.THOAI_SON, demo_province.TRI_TON, demo_province.CHAU_DOC, demo_province.DINH_MY}
    assert named | set(demo_province.BRANCH_COMMUNES) <= own
    assert Commune.objects.get(code=demo_province.KHANH_AN).province_id == demo_province.CA_MAU


def test_first_run_is_audited_as_the_system_actor_from_the_command_line(demo):
    """Every demo write has its audit entry: system actor, source cli, marked load-demo."""
    created = AuditEvent.objects.filter(action="access.organisation.created", data__context="load-demo")
    assert created.count() == demo["created"]["organisations"]
    assert set(created.values_list("source", "actor_label")) == {("cli", "system")}
    assert not created.exclude(actor=None).exists()
    registered = AuditEvent.objects.filter(action="access.organisation.registered", data__context="load-demo")
    assert registered.count() == demo["created"]["organisations"]
    assert AuditEvent.objects.filter(action="access.user.created", data__context="load-demo").count() == 10
    assert AuditEvent.objects.filter(action="access.role.granted", data__context="load-demo").count() == 10
    assert (
        AuditEvent.objects.filter(action="access.roleassignment.created", data__context="load-demo").count()
        == 10
    )
    assert set(AuditEvent.objects.filter(action="demo.step.loaded").values_list("target_id", flat=True)) == {
        s.name for s in loader.STEPS
    }


def test_second_run_creates_nothing_in_one_query(demo, django_assert_num_queries):
    """A restart finds every step done: one query, no write, no audit entry."""
    before = snapshot()
    with django_assert_num_queries(1):
        summary = load_demo()
    assert summary == {"province": 91, "skipped": True, "steps": {}, "created": {}}
    assert snapshot() == before
    with translation.override("en"):
        assert "already loaded" in describe(summary)


def test_forced_run_creates_nothing_and_keeps_a_changed_password(demo):
    """--force re-runs every step; with nothing missing it writes nothing, not even a password."""
    account = user("canbo.tinh")
    account.set_password("Another-pass-2026")
    account.save()
    before = snapshot()
    summary = load_demo(force=True)
    assert summary["created"] == {"organisations": 0, "accounts": 0, "grants": 0}
    assert snapshot() == before
    assert user("canbo.tinh").check_password("Another-pass-2026")
    with translation.override("en"):
        assert "nothing was missing" in describe(summary)


def test_forced_run_restores_a_deleted_account_and_a_plain_run_does_not(demo):
    """A deleted demo account stays deleted on restart; --force brings it back with its grant."""
    user("quy.triton").delete()
    assert load_demo()["skipped"] is True
    assert not User.objects.filter(username="quy.triton").exists()
    summary = load_demo(force=True)
    assert summary["created"] == {"organisations": 0, "accounts": 1, "grants": 1}
    [grant] = user("quy.triton").active_assignments()
    assert grant.organisation.name == "Quỹ Doanh nhân với an ninh trật tự"
    with translation.override("en"):
        assert describe(summary).endswith("created 1 account, 1 role grant.")


def test_a_renamed_organisation_is_not_recreated_on_restart(demo):
    """People trying the demo may rename an organisation; a restart leaves that alone."""
    org = Organisation.objects.get(name="Công an xã Tri Tôn")
    org.name = "Công an xã Tri Tôn (đổi tên)"
    org.save()
    load_demo()
    assert not Organisation.objects.filter(name="Công an xã Tri Tôn").exists()


def test_a_new_step_runs_once_on_an_existing_demo_database(demo, monkeypatch):
    """A step added by a later release runs on the next start, and only then."""
    calls = []
    monkeypatch.setattr(
        loader,
        "STEPS",
        [*loader.STEPS, loader.Step("support", lambda: calls.append(1) or {"support_cases": 3})],
    )
    first = load_demo()
    assert first["steps"] == {"support": {"support_cases": 3}}
    assert load_demo()["skipped"] is True
    assert calls == [1]
    with translation.override("en"):
        assert describe(first).endswith("created support_cases: 3.")


def test_demo_password_passes_the_validators_and_opens_every_account(demo):
    for account in User.objects.filter(username__in=accounts.USERNAMES):
        validate_password(demo_province.DEMO_PASSWORD, user=account)
        assert check_password(demo_province.DEMO_PASSWORD, account.password), account.username


def test_later_steps_find_demo_organisations_by_key(demo):
    """organisation(key) returns the loaded row; one that was removed meanwhile is registered again."""
    police = Organisation.objects.get(name="Công an xã Thoại Sơn")
    before = Organisation.objects.count()
    assert organisations.organisation(f"commune_police:{THOAI_SON}") == police
    assert Organisation.objects.count() == before
    Organisation.objects.get(name="Công ty TNHH May mặc Tri Tôn").delete()
    again = organisations.organisation("employer:tri_ton_garments")
    assert (again.kind, again.commune_id) == (Kind.EMPLOYER, TRI_TON)
