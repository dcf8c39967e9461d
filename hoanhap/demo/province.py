"""The demo province: An Giang (current code 91), as it stands since 1 July 2025.

The 2025 reform merged old An Giang (legacy province 89) and old Kiên Giang (legacy province 91)
into the new An Giang. The demo population lives in the part that was old An Giang: the current
communes whose predecessors (``geo.CommuneSuccession``) were in legacy province 89.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from hoanhap.geo.models import Commune

PROVINCE = 91  # Tỉnh An Giang (current)
LEGACY_PROVINCE = 89  # old Tỉnh An Giang (legacy code; legacy 91 was Kiên Giang)
CA_MAU = 96  # Tỉnh Cà Mau (current): Trại giam Cái Tàu, the facility outside the demo province

# Current communes that the demo refers to by name (all came from old An Giang).
THOAI_SON = 30682  # Xã Thoại Sơn (old thị trấn Núi Sập and neighbours)
TRI_TON = 30544  # Xã Tri Tôn (old thị trấn Tri Tôn); Tri Tôn district's loan fund is attached here
CHAU_DOC = 30316  # Phường Châu Đốc
LONG_XUYEN = 30307  # Phường Long Xuyên
OC_EO = 30688  # Xã Óc Eo
PHU_TAN = 30406  # Xã Phú Tân (old thị trấn Phú Mỹ, where An Hòa Tự stands)
DINH_MY = 30709  # Xã Định Mỹ (old xã Định Thành, where Trại giam Định Thành stands)
KHANH_AN = 32059  # Xã Khánh An, Cà Mau (where Trại giam Cái Tàu stands)

# Communes that get branches of the Women's Union and the Fatherland Front.
BRANCH_COMMUNES = (THOAI_SON, TRI_TON, CHAU_DOC, LONG_XUYEN, OC_EO)

# One password for every demo account, printed by ``hoanhap demo-accounts``. It passes the
# validators of config/settings/base.py (10+ characters, not common, not numeric).
DEMO_PASSWORD = "HoaNhap@2025"

# Demo role grants run from the day the two-tier local government began.
GRANTS_START = dt.date(2025, 7, 1)


def communes_from_old_an_giang() -> QuerySet[Commune]:
    """Current communes of province 91 that were (wholly or partly) in old An Giang."""
    return (
        Commune.objects.filter(
            province_id=PROVINCE,
            predecessions__legacy_commune__district__province__code=LEGACY_PROVINCE,
        )
        .distinct()
        .order_by("code")
    )


def type_word(commune: Commune) -> str:
    """The commune's own type word in running text: "xã", "phường", "đặc khu"."""
    prefix = commune.name[: len(commune.name) - len(commune.short_name)].strip()
    return (prefix or commune.kind).lower()


def in_running_text(commune: Commune) -> str:
    """ "Xã Thoại Sơn" as it is written after an organisation's name: "xã Thoại Sơn"."""
    return f"{type_word(commune)} {commune.short_name}"
