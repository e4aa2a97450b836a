from collections import Counter


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
