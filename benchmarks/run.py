"""`make bench`: the production setup on this machine, each page against a bare page of its size.

    .venv/bin/python benchmarks/run.py [--seconds 5] [--rounds 3] [--smoke]

Makes a throwaway PostgreSQL database on the server of BENCH_DATABASE_URL (else
TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432), migrates it, loads the demo data
and starts gunicorn with gunicorn.conf.py and ``benchmarks.settings`` (production settings,
persistent database connections, the cache in Redis at BENCH_REDIS_URL or TEST_REDIS_URL, plus
the bare page). Then, in one run:

1. The part page with the most bytes, the plan's task list, the PCT lead's dashboard and an
   autosave POST, each alternated with the bare page (a static template of the same byte
   count, behind the same middleware and sign-in) for ``--rounds`` rounds of ``--seconds``:
   requests per second, p50 and p95.
2. N editors autosaving every 2 seconds (25, 50, 100, 200), first each on their own answer,
   then five to an answer: p95, errors, conflicts, and the saves lost, audited afterwards in
   the database (every acknowledged save must have moved the answer's version by one, and the
   answer must hold the text of the last one).
3. benchmarks/pdf_render.py: the signed render against weasyprint alone, and the seal.

``--smoke`` runs each part for a moment (CI checks that the command works, not its figures);
``--parts`` runs only those named (``--parts editors --editors 200 --editor-seconds 10``).
The load client runs on the same machine as the server: on 2 cores it takes a share of them.
"""

import argparse
import asyncio
import os
import random
import runpy
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SAVE_EVERY_SECONDS = 2.0
EDITORS_PER_SHARED_ANSWER = 5


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pbc"
    )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(with_database(database_server_url(), "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def production_environment(folder: Path, database: str, port: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": with_database(database_server_url(), database),
        "CELERY_BROKER_URL": os.environ.get("BENCH_REDIS_URL")
        or os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "EMAIL_URL": "consolemail://",
        "PDF_SEAL_KEY_PATH": str(folder / "key.pem"),
        "PDF_SEAL_CERT_PATH": str(folder / "certificate.pem"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PBC_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
    }


def prepare_database() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    quiet = {"verbosity": 0, "stdout": open(os.devnull, "w")}  # noqa: SIM115
    for name, options in (
        ("migrate", {}),
        ("collectstatic", {"interactive": False}),
        ("load_demo", {"allow_production": True}),
    ):
        started = time.monotonic()
        call_command(name, **options, **quiet)
        print(f"  {name}: {time.monotonic() - started:.1f} s")


def start_gunicorn(env: dict[str, str], port: int) -> tuple[subprocess.Popen, float]:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "pbc.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    while time.monotonic() - started < 120:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                if sock.recv(12).startswith(b"HTTP/1."):
                    return process, time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 120 s")


# --- people and answers -------------------------------------------------------------------------


@dataclass
class Visitor:
    """A signed-in browser: its cookies, and the answer it edits (if any)."""

    cookie: str
    csrf: str
    plan_id: int = 0
    question_key: str = ""
    answer_id: int = 0
    known_version: int = 0


def signed_in(user, **answer) -> Visitor:
    from tests.two_factor import SecondFactorClient

    client = SecondFactorClient()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and form field
    return Visitor(
        cookie=f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
        csrf=csrf,
        **answer,
    )


def editable_answers(plan):
    from plans.models import Answer, QuestionKind
    from plans.workflow import CONSORTIUM_OWNED

    return list(
        Answer.objects.filter(
            plan=plan,
            question__kind=QuestionKind.RICH_TEXT,
            question__completed_by__in=CONSORTIUM_OWNED,
        ).select_related("question")
    )


@dataclass
class Cast:
    lead: Visitor
    editor: Visitor
    plan_id: int
    part_keys: list[str]
    editors: list[Visitor]  # each on an answer of their own


def cast(most_editors: int) -> Cast:
    """The demo's DacCom editor and PCT lead, and ``most_editors`` editors on answers of their
    own (in extra draft plans of DacCom's form, as many as it takes)."""
    from consortia.models import User
    from plans import services
    from plans.models import Plan

    plan = Plan.objects.select_related("consortium", "template").get(
        consortium__slug="daccom", template__slug="daccom-locality-plan-2006"
    )
    consortium = plan.consortium
    editor = User.objects.filter(role=User.Role.CONSORTIUM_EDITOR, consortium=consortium).first()
    lead = User.objects.filter(
        role=User.Role.PCT_LEAD, commissioner=consortium.commissioner
    ).first()
    answers = []
    while len(answers) < most_editors:
        extra = services.plan_create(
            consortium=consortium,
            template=plan.template,
            # Plan years no other plan of the consortium has: a year must read as one.
            period=f"{2100 + len(answers)}/{(101 + len(answers)) % 100:02d}",
            title=f"Benchmark plan {len(answers)}",
            user=editor,
        )
        answers += editable_answers(extra)
    editors = []
    for number, answer in enumerate(answers[:most_editors]):
        user = User.objects.create_user(
            email=f"benchmark.editor.{number}@example.org",
            password=None,  # signed in by session: no slow password hash per editor
            full_name=f"Benchmark Editor {number}",
            role=User.Role.CONSORTIUM_EDITOR,
            consortium=consortium,
        )
        editors.append(
            signed_in(
                user,
                plan_id=answer.plan_id,
                question_key=answer.question.key,
                answer_id=answer.pk,
                known_version=answer.version,
            )
        )
    return Cast(
        lead=signed_in(lead),
        editor=signed_in(editor),
        plan_id=plan.pk,
        part_keys=list(plan.template.parts.values_list("key", flat=True)),
        editors=editors,
    )


# --- the load client ----------------------------------------------------------------------------


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    seconds: float = 0.0
    worker_cpu: float = 0.0  # CPU seconds the gunicorn workers spent meanwhile
    client_cpu: float = 0.0  # and this process, the load client, on the same cores

    def add(self, other: "Sample") -> None:
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.errors += other.errors
        self.seconds += other.seconds
        self.worker_cpu += other.worker_cpu
        self.client_cpu += other.client_cpu

    @property
    def worker_ms(self) -> float:
        """Worker CPU time per request: unlike req/s, barely moved by other load on the machine."""
        return self.worker_cpu * 1000 / len(self.latencies) if self.latencies else 0.0

    @property
    def client_ms(self) -> float:
        """The load client's CPU time per request: its share of the cores the server lacks."""
        return self.client_cpu * 1000 / len(self.latencies) if self.latencies else 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(share) - 1]


def workers_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time of gunicorn's workers so far, from /proc (Linux)."""
    ticks = 0
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        # After the command name: state, ppid, ... utime (14th field) and stime (15th).
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class Site:
    def __init__(self, http, port: int, master_pid: int):
        self.http = http
        self.master_pid = master_pid
        self.base = f"http://127.0.0.1:{port}"
        # gunicorn sees what a TLS proxy in front of it would send.
        self.origin = f"https://127.0.0.1:{port}"

    def headers(self, visitor: Visitor, **extra) -> dict[str, str]:
        return {"Cookie": visitor.cookie, "X-Forwarded-Proto": "https", **extra}

    def worker_cpu(self) -> float:
        return workers_cpu_seconds(self.master_pid)

    async def get(self, visitor: Visitor, path: str) -> tuple[int, bytes]:
        async with self.http.get(
            self.base + path, headers=self.headers(visitor), allow_redirects=False
        ) as response:
            return response.status, await response.read()

    async def autosave(self, visitor: Visitor, text: str, path: str = "") -> tuple[int, dict]:
        prefix = f"q-{visitor.question_key}"
        form = {
            "csrfmiddlewaretoken": visitor.csrf,
            f"{prefix}-base_version": str(visitor.known_version),
            f"{prefix}-text": text,
            "autosave": "1",
        }
        path = path or f"/plans/{visitor.plan_id}/questions/{visitor.question_key}/"
        async with self.http.post(
            self.base + path,
            data=form,
            headers=self.headers(visitor, Origin=self.origin, Accept="application/json"),
            allow_redirects=False,
        ) as response:
            body = await response.read()
            if response.content_type == "application/json":
                import json

                return response.status, json.loads(body)
            return response.status, {"bytes": len(body)}


async def hammer(site, request, *, concurrency: int, seconds: float, ok=(200,)) -> Sample:
    """``concurrency`` clients sending ``request(slot)`` back to back for ``seconds``."""
    sample = Sample()
    deadline = time.perf_counter() + seconds

    async def client(slot: int):
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status = await request(slot)
            except Exception:
                sample.errors += 1
                continue
            sample.latencies.append(time.perf_counter() - started)
            sample.statuses[status] += 1
            if status not in ok:
                sample.errors += 1

    started, cpu, own_cpu = time.perf_counter(), site.worker_cpu(), time.process_time()
    await asyncio.gather(*(client(slot) for slot in range(concurrency)))
    sample.seconds = time.perf_counter() - started
    sample.worker_cpu = site.worker_cpu() - cpu
    sample.client_cpu = time.process_time() - own_cpu
    return sample


# --- the measurements ---------------------------------------------------------------------------


async def biggest_part(site: Site, cast: Cast) -> tuple[str, int]:
    sizes = {}
    for key in cast.part_keys:
        status, body = await site.get(cast.editor, f"/plans/{cast.plan_id}/parts/{key}/")
        assert status == 200, f"part {key}: {status}"
        sizes[key] = len(body)
    key = max(sizes, key=sizes.get)
    return key, sizes[key]


async def pages_against_bare(site: Site, cast: Cast, *, rounds: int, seconds: float, clients: int):
    part_key, _ = await biggest_part(site, cast)
    pages = [
        ("biggest part page", cast.editor, f"/plans/{cast.plan_id}/parts/{part_key}/"),
        ("plan task list", cast.editor, f"/plans/{cast.plan_id}/"),
        ("PCT lead's dashboard", cast.lead, "/"),
    ]
    writers = cast.editors[:clients]

    async def load(visitor: Visitor, path: str) -> Sample:
        """``clients`` at once asking ``visitor``'s ``path`` again and again for ``seconds``."""
        return await hammer(
            site,
            lambda _slot: status_of(site.get(visitor, path)),
            concurrency=clients,
            seconds=seconds,
        )

    rows = []
    for name, visitor, path in pages:
        status, body = await site.get(visitor, path)
        assert status == 200, f"{name} {path}: {status}"
        size = len(body)
        bare = f"/benchmark/bare/{size}/"
        status, bare_body = await site.get(visitor, bare)
        assert status == 200 and len(bare_body) == size, f"bare page: {status}, {len(bare_body)}"
        app, plain = Sample(), Sample()
        for _ in range(rounds):
            app.add(await load(visitor, path))
            plain.add(await load(visitor, bare))
        rows.append((name, size, app, plain))

    async def save(slot: int, path: str = "") -> int:
        writer = writers[slot]
        status, body = await site.autosave(writer, f"<p>Autosave {time.perf_counter()}</p>", path)
        if status == 200 and "version" in body:
            writer.known_version = body["version"]
        return status

    status, body = await site.autosave(writers[0], "<p>Measuring the response</p>")
    assert status == 200, f"autosave: {status} {body}"
    writers[0].known_version = body["version"]
    import json

    size = len(json.dumps(body).encode())
    app, plain = Sample(), Sample()
    for _ in range(rounds):
        app.add(await hammer(site, save, concurrency=len(writers), seconds=seconds))
        plain.add(
            await hammer(
                site,
                lambda slot: save(slot, f"/benchmark/bare/{size}/"),
                concurrency=len(writers),
                seconds=seconds,
            )
        )
    rows.append(("autosave POST", size, app, plain))
    return rows


async def status_of(request) -> int:
    status, _body = await request
    return status


@dataclass
class EditorsResult:
    editors: int
    answers: int
    sample: Sample
    conflicts: int
    lost: int


async def editors_saving(site: Site, editors: list[Visitor], *, per_answer: int, seconds: float):
    """Each editor saves every 2 s; ``per_answer`` editors share each answer."""
    from plans.models import Answer

    # Signed in as themselves, each editor saves the answer of the first editor of their group.
    visitors = [
        replace(editors[i - i % per_answer], cookie=person.cookie, csrf=person.csrf)
        for i, person in enumerate(editors)
    ]
    answer_ids = sorted({v.answer_id for v in visitors})
    start = {
        a.pk: a.version
        async for a in Answer.objects.filter(pk__in=answer_ids).only("pk", "version")
    }
    for visitor in visitors:
        visitor.known_version = start[visitor.answer_id]
    acknowledged: dict[int, list[tuple[int, str]]] = {pk: [] for pk in answer_ids}
    sample, conflicts = Sample(), 0
    deadline = time.perf_counter() + seconds

    async def editor(number: int, visitor: Visitor):
        nonlocal conflicts
        await asyncio.sleep(random.uniform(0, SAVE_EVERY_SECONDS))  # noqa: S311
        tick = time.perf_counter()
        count = 0
        while tick < deadline:
            text = f"<p>Editor {number}, save {count}</p>"
            started = time.perf_counter()
            try:
                status, body = await site.autosave(visitor, text)
            except Exception:
                sample.errors += 1
            else:
                sample.latencies.append(time.perf_counter() - started)
                sample.statuses[status] += 1
                if status == 200:
                    visitor.known_version = body["version"]
                    acknowledged[visitor.answer_id].append((body["version"], text))
                elif status == 409:
                    conflicts += 1
                    visitor.known_version = body["conflict"]["version"]
                else:
                    sample.errors += 1
            count += 1
            tick += SAVE_EVERY_SECONDS
            await asyncio.sleep(max(0.0, tick - time.perf_counter()))

    started, cpu, own_cpu = time.perf_counter(), site.worker_cpu(), time.process_time()
    await asyncio.gather(*(editor(n, v) for n, v in enumerate(visitors)))
    sample.seconds = time.perf_counter() - started
    sample.worker_cpu = site.worker_cpu() - cpu
    sample.client_cpu = time.process_time() - own_cpu

    lost = 0
    async for answer in Answer.objects.filter(pk__in=answer_ids).only("pk", "version", "text"):
        saves = acknowledged[answer.pk]
        lost += max(0, len(saves) - (answer.version - start[answer.pk]))
        if saves and max(saves)[1] != answer.text:
            lost += 1
    return EditorsResult(len(visitors), len(answer_ids), sample, conflicts, lost)


# --- the report ---------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def print_pages(rows) -> None:
    print("\nPages against a bare page of the same size (same middleware, signed in)")
    print("(cpu ms: the gunicorn workers' CPU time per request; cpu bare/app: its inverse ratio)")
    print(
        f"{'page':<22}{'bytes':>8}  {'app req/s':>9} {'p50 ms':>6} {'p95 ms':>6} {'cpu ms':>6}  "
        f"{'bare req/s':>10} {'p50 ms':>6} {'p95 ms':>6} {'cpu ms':>6}  "
        f"{'app/bare':>8} {'cpu bare/app':>12}  errors"
    )
    for name, size, app, bare in rows:
        ratio = app.rate / bare.rate if bare.rate else 0.0
        cpu_ratio = bare.worker_ms / app.worker_ms if app.worker_ms else 0.0
        print(
            f"{name:<22}{size:>8,}  {app.rate:>9,.1f} {ms(app.percentile(50)):>6} "
            f"{ms(app.percentile(95)):>6} {app.worker_ms:>6.1f}  {bare.rate:>10,.1f} "
            f"{ms(bare.percentile(50)):>6} {ms(bare.percentile(95)):>6} {bare.worker_ms:>6.1f}  "
            f"{ratio:>8.3f} {cpu_ratio:>12.3f}  {app.errors + bare.errors}"
        )


def print_editors(results: list[EditorsResult]) -> None:
    print(f"\nEditors autosaving every {SAVE_EVERY_SECONDS:.0f} s")
    print(
        f"{'editors':>7} {'answers':>7}  {'saves/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'cpu ms':>6} {'client ms':>9}  {'errors':>6} {'conflicts':>9} {'lost':>5}"
    )
    for r in results:
        s = r.sample
        print(
            f"{r.editors:>7} {r.answers:>7}  {s.rate:>7,.1f} {ms(s.percentile(50)):>7} "
            f"{ms(s.percentile(95)):>7} {s.worker_ms:>6.1f} {s.client_ms:>9.1f}  {s.errors:>6} "
            f"{r.conflicts:>9} {r.lost:>5}"
        )


async def measure(port: int, master_pid: int, cast: Cast, args) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        site = Site(http, port, master_pid)
        if "pages" in args.parts:
            rows = await pages_against_bare(
                site, cast, rounds=args.rounds, seconds=args.seconds, clients=args.clients
            )
            print_pages(rows)
        if "editors" not in args.parts:
            return
        results = []
        for per_answer in (1, EDITORS_PER_SHARED_ANSWER):
            for count in args.editors:
                results.append(
                    await editors_saving(
                        site,
                        cast.editors[:count],
                        per_answer=per_answer,
                        seconds=args.editor_seconds,
                    )
                )
        print_editors(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients per page")
    parser.add_argument("--editors", type=int, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--editor-seconds", type=float, default=20.0)
    parser.add_argument("--pdf-runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="everything, for a moment")
    parts = ["pages", "editors", "pdf"]
    parser.add_argument("--parts", nargs="+", choices=parts, default=parts, help="only these")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.rounds, args.clients = 0.5, 1, 2
        args.editors, args.editor_seconds, args.pdf_runs = [5], 2.5, 1

    sys.path.insert(0, str(ROOT))
    database = f"pbc_bench_{os.getpid()}"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="pbc-bench-") as folder:
        env = production_environment(Path(folder), database, port)
        os.environ.update(env)
        admin_sql(f'CREATE DATABASE "{database}"')
        server = None
        try:
            started = time.monotonic()
            prepare_database()
            the_cast = cast(max(max(args.editors), args.clients))
            print(
                f"Demo data and {len(the_cast.editors)} editors ready in "
                f"{time.monotonic() - started:.1f} s"
            )
            server, ready = start_gunicorn(env, port)
            workers = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
            print(f"gunicorn ({workers} workers) answered {ready:.1f} s after start")
            asyncio.run(measure(port, server.pid, the_cast, args))
        finally:
            if server is not None:
                server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
                server.wait(timeout=30)
            from django.db import connections

            connections.close_all()
            admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    if "pdf" not in args.parts:
        return
    print("\nSigned PDF render against weasyprint alone (benchmarks/pdf_render.py)")
    sys.stdout.flush()
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "pdf_render.py"), "--runs", str(args.pdf_runs)],
        check=True,
        env={k: v for k, v in os.environ.items() if k not in env},
    )


if __name__ == "__main__":
    main()
