"""Where a page's time goes: pyinstrument over the part page, task list, dashboard or an autosave.

    .venv/bin/python benchmarks/profile_pages.py [--page part|tasks|dashboard|autosave] [--runs 20]
        [--production] [--cprofile]
    .venv/bin/python benchmarks/profile_pages.py --limits [--runs 3]

Loads the demo into a throwaway SQLite database (as pdf_render.py does) and requests the page
through Django's test client as the demo's DacCom editor (the dashboard as the PCT lead),
after one warm-up request, then prints pyinstrument's call tree of ``--runs`` requests, the
process's CPU time per request and the queries of the last one.

``--production`` runs what `make bench`'s gunicorn workers run instead: ``benchmarks.settings``
(production settings) over a throwaway PostgreSQL database on the server of BENCH_DATABASE_URL
or TEST_DATABASE_URL and the cache in Redis (BENCH_REDIS_URL or TEST_REDIS_URL), over HTTPS
with the CSRF check enforced. ``--cprofile`` prints cProfile's busiest functions (by their own
time and by cumulative time, in CPU time) in place of pyinstrument's tree: cProfile counts every
call, where a sampling profiler misses the many short ones a fast request is made of.

``--limits`` fills the demo to the product's own limits (tests/limits.py: 150 questions, 5,000
targets, 100,000 revisions) and prints each main page's in-process time instead (the median of
``--runs`` after a warm-up; issue 16 asks for under 300 ms each), the time of a miss (the cache
emptied after the warm-up), its bytes and its queries.
"""

import argparse
import contextlib
import functools
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def demo_database(folder: Path, *, production: bool):
    """Django set up over a database holding the demo: SQLite, or a throwaway PostgreSQL one."""
    sys.path.insert(0, str(ROOT))
    if not production:
        os.environ["DJANGO_SETTINGS_MODULE"] = "pbc.settings.base"
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/profile.sqlite3"
        os.environ["DJANGO_DEBUG"] = "false"
        os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("load_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        return
    from benchmarks import run

    database = f"pbc_profile_{os.getpid()}"
    os.environ.update(run.production_environment(folder, database, port=0))
    run.admin_sql(f'CREATE DATABASE "{database}"')
    try:
        run.prepare_database()
        yield
    finally:
        from django.db import connections

        connections.close_all()
        run.admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    pages = ["part", "tasks", "dashboard", "autosave"]
    parser.add_argument("--page", choices=pages, default="part")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--limits", action="store_true", help="each main page's time at the limits")
    parser.add_argument(
        "--production", action="store_true", help="production settings, PostgreSQL and Redis"
    )
    parser.add_argument("--cprofile", action="store_true", help="cProfile's busiest functions")
    parser.add_argument("--stats", help="with --cprofile: also write the raw stats to this file")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="pbc-profile-") as folder,
        demo_database(Path(folder), production=args.production),
    ):
        from django.test.utils import override_settings

        from plans.models import Plan

        plan = Plan.objects.get(
            consortium__slug="daccom", template__slug="daccom-locality-plan-2006"
        )
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            if args.limits:
                print_times_at_the_limits(plan, runs=args.runs)
            else:
                profile_page(plan, args)


def profile_page(plan, args) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from consortia.models import User
    from tests.two_factor import SecondFactorClient

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
    # Over HTTPS, as behind the production TLS proxy; the CSRF check as a browser meets it.
    csrf = secrets.token_hex(16)
    client = SecondFactorClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = csrf
    get = functools.partial(client.get, secure=True)
    if args.page == "part":
        sizes = {
            key: len(get(f"/plans/{plan.pk}/parts/{key}/").content)
            for key in plan.template.parts.values_list("key", flat=True)
        }
        path = f"/plans/{plan.pk}/parts/{max(sizes, key=sizes.get)}/"
    request = get
    if args.page == "autosave":
        answer = plan.answers.filter(question__kind="rich_text").first()
        path = f"/plans/{plan.pk}/questions/{answer.question.key}/"
        prefix = f"q-{answer.question.key}"
        version = [answer.version]

        def request(path):
            # The version the last save answered with, as the editor's browser keeps it.
            response = client.post(
                path,
                {
                    "csrfmiddlewaretoken": csrf,
                    f"{prefix}-base_version": version[0],
                    f"{prefix}-text": f"<p>Saved at {time.perf_counter()}</p>",
                    "autosave": "1",
                },
                headers={"accept": "application/json", "origin": "https://testserver"},
                secure=True,
            )
            assert response.status_code == 200, (response.status_code, response.content[:500])
            version[0] = response.json()["version"]
            return response

    response = request(path)
    assert response.status_code == 200, response.status_code
    if args.cprofile:
        import cProfile

        # Timed in this process's CPU time: a wait on the database or Redis costs nothing.
        profiler = cProfile.Profile(time.process_time)
    else:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    profiler.enable() if args.cprofile else profiler.start()
    for _ in range(args.runs):
        request(path)
    profiler.disable() if args.cprofile else profiler.stop()
    # The time of the same requests again, unprofiled: a profiler slows Python calls unevenly.
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.runs):
        request(path)
    took, cpu_took = (
        (time.perf_counter() - started) / args.runs,
        (time.process_time() - cpu) / args.runs,
    )
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        request(path)
    print(
        f"{path}: {len(response.content):,} bytes, {took * 1000:.1f} ms a request, "
        f"{cpu_took * 1000:.1f} ms of this process's CPU (test client included), "
        f"{len(queries)} queries"
    )
    for query in queries:
        print(f"  {query['sql'][:160]}")
    if args.cprofile:
        import pstats

        if args.stats:
            profiler.dump_stats(args.stats)
        stats = pstats.Stats(profiler).strip_dirs()
        for order in ("tottime", "cumulative"):
            stats.sort_stats(order).print_stats(45)
    else:
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def print_times_at_the_limits(plan, *, runs: int) -> None:
    import statistics

    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from tests.limits import at_the_limits
    from tests.two_factor import SecondFactorClient

    for name, (reader, path) in at_the_limits(plan).pages().items():
        client = SecondFactorClient()
        client.force_login(reader)
        reset_queries()  # each request empties the log, which the count would then miss
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
        # A miss after the process's one-off costs (imports, templates compiled): the page
        # as the first reader after a change meets it.
        cache.clear()
        started = time.perf_counter()
        client.get(path, secure=True)
        miss = time.perf_counter() - started
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path, secure=True)
            times.append(time.perf_counter() - started)
        print(
            f"{name:34} {statistics.median(times) * 1000:7.0f} ms"
            f" (a miss: {miss * 1000:,.0f} ms)"
            f" {len(response.content):>11,} bytes {len(queries):3} queries"
        )


if __name__ == "__main__":
    main()
