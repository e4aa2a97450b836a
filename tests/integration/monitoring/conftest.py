import pytest

from tests.monitoring_factories import signed_demo_daccom


@pytest.fixture
def signed_daccom(db):
    return signed_demo_daccom()
