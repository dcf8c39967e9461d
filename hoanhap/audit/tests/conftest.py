"""Accounts and entries shared by the audit tests."""

import pytest

from hoanhap.access.roles import Role
from hoanhap.core.testing import AN_GIANG, THOAI_SON, make_user


@pytest.fixture
def province_admin():
    """Province account administrator of An Giang (91): VIEW_AUDIT on province 91 only."""
    return make_user(Role.PROVINCE_ACCOUNT_ADMIN, province=AN_GIANG, username="ag.admin")


@pytest.fixture
def system_admin():
    return make_user(Role.SYSTEM_ADMIN, username="sys.admin")


@pytest.fixture
def commune_officer():
    """Commune police officer of Thoại Sơn: no VIEW_AUDIT anywhere."""
    return make_user(Role.COMMUNE_OFFICER, commune=THOAI_SON, username="ts.officer")
