"""Named personas for the access tests (units from hoanhap.core.testing)."""

import pytest

from hoanhap.access.models import Organisation
from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, BA_DINH, HA_NOI, THOAI_SON, make_organisation, make_user


@pytest.fixture
def an_giang_police():
    return make_organisation(
        Organisation.Kind.PROVINCE_POLICE, province=AN_GIANG, commune=None, name="Công an tỉnh An Giang"
    )


@pytest.fixture
def thoai_son_union():
    return make_organisation(
        Organisation.Kind.WOMENS_UNION, province=AN_GIANG, commune=THOAI_SON, name="Hội Phụ nữ xã Thoại Sơn"
    )


@pytest.fixture
def ha_noi_org():
    return make_organisation(
        Organisation.Kind.COMMUNE_POLICE, province=HA_NOI, commune=BA_DINH, name="Công an phường Ba Đình"
    )


@pytest.fixture
def system_admin():
    return make_user(Role.SYSTEM_ADMIN, username="sysadmin")


@pytest.fixture
def province_admin(an_giang_police):
    """The account administrator of An Giang, member of the provincial police."""
    return make_user(
        Role.PROVINCE_ACCOUNT_ADMIN, province=AN_GIANG, organisation=an_giang_police, username="ag-admin"
    )


@pytest.fixture
def hanoi_admin(ha_noi_org):
    return make_user(
        Role.PROVINCE_ACCOUNT_ADMIN, province=HA_NOI, organisation=ha_noi_org, username="hn-admin"
    )
