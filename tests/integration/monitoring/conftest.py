import pytest

from tests.monitoring_factories import signed
from tests.plan_factories import demo_daccom_plan


@pytest.fixture
def signed_daccom(db):
    return signed(demo_daccom_plan())
