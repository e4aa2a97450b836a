import pytest

from tests import demo_data
from tests.monitoring_factories import signed
from tests.plan_factories import demo_daccom_plan, signed_demo_daccom_plan


def demo_daccom_signed() -> None:
    """The demo loaded and DacCom's plan signed, as the loaders tests/demo_data.py copies: the
    signing (three signatures, each hashing the whole plan) runs once in a test process."""
    signed(demo_daccom_plan())


@pytest.fixture
def signed_daccom(db):
    demo_data.load(demo_daccom_signed)
    return signed_demo_daccom_plan()
