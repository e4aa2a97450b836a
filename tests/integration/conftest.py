from collections import Counter

import pytest

from consortia.models import User
from tests.review_factories import person


@pytest.fixture
def editor(plan):
    """An editor of the consortium of the module's own ``plan``."""
    return person(User.Role.CONSORTIUM_EDITOR, plan)


@pytest.fixture
def lead(plan):
    """A lead of the PCT of the module's own ``plan``."""
    return person(User.Role.PCT_LEAD, plan)


def pytest_terminal_summary(terminalreporter):
    """The fuzz test's totals (tests/integration/test_fuzz.py), read from its reports so they
    add up under pytest-xdist too."""
    totals = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name.startswith("fuzz_"):
                    totals[name] += value
    if totals:
        terminalreporter.write_sep("=", "fuzz")
        terminalreporter.write_line(
            f"{totals['fuzz_posted']} posted, {totals['fuzz_server_errors']} server errors, "
            f"{totals['fuzz_stored_outside']} stored outside the allowlist"
        )
