"""The organisations of the demo province, each named as it is written in An Giang.

Every organisation has a stable ``key`` (``"commune_police:30682"``, ``"fund:tri_ton"``) so that
later demo steps can find the one they need with ``organisation(key)``; the row itself is
matched on its natural key (kind, name, province, commune).
"""

from __future__ import annotations

from dataclasses import dataclass

from hoanhap.access import policy, services
from hoanhap.access.models import Organisation
from hoanhap.demo import province as demo
from hoanhap.geo.models import Commune, Province

Kind = Organisation.Kind


@dataclass(frozen=True)
class OrgSpec:
    key: str
    kind: str
    name: str
    province: int
    commune: int | None = None
    address: str = ""

    @property
    def natural_key(self) -> tuple[str, str, int, int | None]:
        return (self.kind, self.name, self.province, self.commune)


def _province_text(province: Province) -> str:
    """ "Tỉnh An Giang" → "tỉnh An Giang", as written at the end of an address."""
    prefix = province.name[: len(province.name) - len(province.short_name)].strip()
    return f"{(prefix or province.kind).lower()} {province.short_name}"


def _address(commune: Commune, province: Province) -> str:
    return f"{commune.name}, {_province_text(province)}"


def organisation_specs() -> list[OrgSpec]:
    """Every demo organisation, in the order they are created (two queries)."""
    provinces = Province.objects.in_bulk([demo.PROVINCE, demo.CA_MAU])
    home, ca_mau = provinces[demo.PROVINCE], provinces[demo.CA_MAU]
    p = home.short_name  # "An Giang"
    own = list(demo.communes_from_old_an_giang())
    by_code = {c.code: c for c in own}
    by_code.update(Commune.objects.in_bulk([demo.KHANH_AN]))

    def at(commune: int) -> dict:
        return {"province": demo.PROVINCE, "commune": commune, "address": _address(by_code[commune], home)}

    def named(code: int) -> str:
        return demo.in_running_text(by_code[code])

    specs = [
        OrgSpec("province_police", Kind.PROVINCE_POLICE, f"Công an tỉnh {p}", demo.PROVINCE),
        OrgSpec("province_committee", Kind.PROVINCE_COMMITTEE, f"Ủy ban nhân dân tỉnh {p}", demo.PROVINCE),
        OrgSpec(
            "province:fatherland_front",
            Kind.FATHERLAND_FRONT,
            f"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}",
            demo.PROVINCE,
        ),
        OrgSpec("province:womens_union", Kind.WOMENS_UNION, f"Hội Liên hiệp Phụ nữ tỉnh {p}", demo.PROVINCE),
        OrgSpec("province:youth_union", Kind.YOUTH_UNION, f"Tỉnh đoàn {p}", demo.PROVINCE),
        OrgSpec("province:veterans", Kind.VETERANS, f"Hội Cựu chiến binh tỉnh {p}", demo.PROVINCE),
        OrgSpec("province:farmers_union", Kind.FARMERS_UNION, f"Hội Nông dân tỉnh {p}", demo.PROVINCE),
    ]
    # Commune police and the commune People's Committee in every commune that was old An Giang.
    for commune in own:
        specs.append(
            OrgSpec(
                f"commune_police:{commune.code}",
                Kind.COMMUNE_POLICE,
                f"Công an {named(commune.code)}",
                **at(commune.code),
            )
        )
        specs.append(
            OrgSpec(
                f"commune_committee:{commune.code}",
                Kind.COMMUNE_COMMITTEE,
                f"Ủy ban nhân dân {named(commune.code)}",
                **at(commune.code),
            )
        )
    # Commune branches of the mass organisations that take people under their wing.
    for code in demo.BRANCH_COMMUNES:
        specs += [
            OrgSpec(
                f"womens_union:{code}", Kind.WOMENS_UNION, f"Hội Liên hiệp Phụ nữ {named(code)}", **at(code)
            ),
            OrgSpec(
                f"fatherland_front:{code}",
                Kind.FATHERLAND_FRONT,
                f"Ủy ban Mặt trận Tổ quốc Việt Nam {named(code)}",
                **at(code),
            ),
        ]
    ts = demo.THOAI_SON
    specs += [
        OrgSpec(f"youth_union:{ts}", Kind.YOUTH_UNION, f"Đoàn Thanh niên {named(ts)}", **at(ts)),
        OrgSpec(f"veterans:{ts}", Kind.VETERANS, f"Hội Cựu chiến binh {named(ts)}", **at(ts)),
        OrgSpec(f"farmers_union:{ts}", Kind.FARMERS_UNION, f"Hội Nông dân {named(ts)}", **at(ts)),
        # Religious partners: the commune council, and the central council at An Hòa Tự (Phú Tân).
        OrgSpec(
            "hoa_hao:thoai_son", Kind.RELIGIOUS_PARTNER, f"Ban Trị sự Phật giáo Hòa Hảo {named(ts)}", **at(ts)
        ),
        OrgSpec(
            "hoa_hao:central",
            Kind.RELIGIOUS_PARTNER,
            "Ban Trị sự Trung ương Giáo hội Phật giáo Hòa Hảo",
            demo.PROVINCE,
            address=_address(by_code[demo.PHU_TAN], home),
        ),
        # Tri Tôn district's loan fund; the district is gone, the fund now sits with xã Tri Tôn.
        OrgSpec("fund:tri_ton", Kind.LOAN_FUND, "Quỹ Doanh nhân với an ninh trật tự", **at(demo.TRI_TON)),
        # Detention facilities belong to their province; one sends notices from outside it.
        OrgSpec(
            "facility:dinh_thanh",
            Kind.DETENTION_FACILITY,
            "Trại giam Định Thành",
            demo.PROVINCE,
            address=_address(by_code[demo.DINH_MY], home),
        ),
        OrgSpec("facility:remand", Kind.DETENTION_FACILITY, f"Trại tạm giam Công an tỉnh {p}", demo.PROVINCE),
        OrgSpec(
            "facility:cai_tau",
            Kind.DETENTION_FACILITY,
            "Trại giam Cái Tàu",
            demo.CA_MAU,
            address=_address(by_code[demo.KHANH_AN], ca_mau),
        ),
        # Employers and vocational training (fictitious businesses; the college is public).
        OrgSpec(
            "employer:thoai_son_rice", Kind.EMPLOYER, "Công ty TNHH Chế biến Lương thực Thoại Sơn", **at(ts)
        ),
        OrgSpec(
            "employer:tri_ton_garments", Kind.EMPLOYER, "Công ty TNHH May mặc Tri Tôn", **at(demo.TRI_TON)
        ),
        OrgSpec(
            "employer:long_xuyen_seafood",
            Kind.EMPLOYER,
            "Công ty TNHH Thủy sản Long Xuyên",
            **at(demo.LONG_XUYEN),
        ),
        OrgSpec("training:college", Kind.TRAINING_INSTITUTION, f"Trường Cao đẳng {p}", **at(demo.LONG_XUYEN)),
        OrgSpec(
            "training:thoai_son",
            Kind.TRAINING_INSTITUTION,
            "Trung tâm Giáo dục nghề nghiệp Thoại Sơn",
            **at(ts),
        ),
    ]
    return specs


def load() -> dict[str, int]:
    """Create the demo organisations that are missing (through the access service); never touch
    existing ones."""
    specs = organisation_specs()
    existing = set(
        Organisation.objects.filter(name__in={s.name for s in specs}).values_list(
            "kind", "name", "province_id", "commune_id"
        )
    )
    created = 0
    for spec in specs:
        if spec.natural_key in existing:
            continue
        _create(spec)
        existing.add(spec.natural_key)
        created += 1
    return {"organisations": created}


def _create(spec: OrgSpec) -> Organisation:
    return services.organisation_create(
        actor=policy.SYSTEM,
        name=spec.name,
        kind=spec.kind,
        province=spec.province,
        commune=spec.commune,
        address=spec.address,
    )


def organisations(*keys: str) -> dict[str, Organisation]:
    """The demo organisations named by ``keys`` (re-created if someone removed one since)."""
    specs = {s.key: s for s in organisation_specs()}
    found: dict[str, Organisation] = {}
    for key in keys:
        s = specs[key]
        org = Organisation.objects.filter(
            kind=s.kind, name=s.name, province_id=s.province, commune_id=s.commune
        ).first()
        found[key] = org or _create(s)
    return found


def organisation(key: str) -> Organisation:
    return organisations(key)[key]
