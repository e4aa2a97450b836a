"""Where a page's time goes: pyinstrument over the part page, task list, dashboard or an autosave.

    .venv/bin/python benchmarks/profile_pages.py [--page part|tasks|dashboard|autosave] [--runs 20]
    .venv/bin/python benchmarks/profile_pages.py --limits [--runs 3]

Loads the demo into a throwaway SQLite database (as pdf_render.py does) and requests the page
through Django's test client as the demo's DacCom editor (the dashboard as the PCT lead),
after one warm-up request, then prints pyinstrument's call tree of ``--runs`` requests.

``--limits`` fills the demo to the product's own limits (tests/limits.py: 150 questions, 5,000
targets, 100,000 revisions) and prints each main page's in-process time instead (the median of
``--runs`` after a warm-up; issue 16 asks for under 300 ms each), its bytes and its queries.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    pages = ["part", "tasks", "dashboard", "autosave"]
    parser.add_argument("--page", choices=pages, default="part")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--limits", action="store_true", help="each main page's time at the limits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pbc-profile-") as folder:
        sys.path.insert(0, str(ROOT))
        os.environ["DJANGO_SETTINGS_MODULE"] = "pbc.settings.base"
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/profile.sqlite3"
        os.environ["DJANGO_DEBUG"] = "false"
        os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import override_settings
        from pyinstrument import Profiler

        from consortia.models import User
        from plans.models import Plan
        from tests.two_factor import SecondFactorClient

        call_command("migrate", verbosity=0)
        call_command("load_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        plan = Plan.objects.get(
            consortium__slug="daccom", template__slug="daccom-locality-plan-2006"
        )
        if args.limits:
            with override_settings(ALLOWED_HOSTS=["testserver"]):
                print_times_at_the_limits(plan, runs=args.runs)
            return
        if args.page == "dashboard":
            user = User.objects.filter(
                role=User.Role.PCT_LEAD, commissioner=plan.consortium.commissioner
            ).first()
            path = "/"
        else:
            user = User.objects.filter(
                role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium
            ).first()
            path = f"/plans/{plan.pk}/"
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            client = SecondFactorClient()
            client.force_login(user)
            if args.page == "part":
                sizes = {
                    key: len(client.get(f"/plans/{plan.pk}/parts/{key}/").content)
                    for key in plan.template.parts.values_list("key", flat=True)
                }
                path = f"/plans/{plan.pk}/parts/{max(sizes, key=sizes.get)}/"
            request = client.get
            if args.page == "autosave":
                answer = plan.answers.filter(question__kind="rich_text").first()
                path = f"/plans/{plan.pk}/questions/{answer.question.key}/"
                prefix = f"q-{answer.question.key}"

                def request(path):
                    answer.refresh_from_db()
                    return client.post(
                        path,
                        {
                            f"{prefix}-base_version": answer.version,
                            f"{prefix}-text": f"<p>Saved at {time.perf_counter()}</p>",
                            "autosave": "1",
                        },
                        headers={"accept": "application/json"},
                    )

            response = request(path)
            assert response.status_code == 200, response.status_code
            profiler = Profiler(interval=0.0005)
            started = time.perf_counter()
            with profiler:
                for _ in range(args.runs):
                    request(path)
            took = (time.perf_counter() - started) / args.runs
        print(f"{path}: {len(response.content):,} bytes, {took * 1000:.0f} ms a request")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def print_times_at_the_limits(plan, *, runs: int) -> None:
    import statistics

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from tests.limits import at_the_limits
    from tests.two_factor import SecondFactorClient

    for name, (reader, path) in at_the_limits(plan).pages().items():
        client = SecondFactorClient()
        client.force_login(reader)
        reset_queries()  # each request empties the log, which the count would then miss
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        print(
            f"{name:34} {statistics.median(times) * 1000:7.0f} ms"
            f" {len(response.content):>11,} bytes {len(queries):3} queries"
        )


if __name__ == "__main__":
    main()
