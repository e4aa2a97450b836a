"""How long the signed PDF of the demo DacCom plan takes, against weasyprint alone.

    .venv/bin/python benchmarks/pdf_render.py [--runs 5]

Loads the demo data into a throwaway SQLite database, signs the DacCom plan with three
signatures and builds its HTML once. Then, ``--runs`` times, each run starting with a
different one so that a machine slowing down or speeding up mid-run weighs on all alike, it
times:

- the product: ``render_plan_pdf`` (HTML from the live plan, then weasyprint writing tagged
  PDF/UA-1) and ``seal_pdf`` on its result;
- weasyprint alone on the same HTML, with the same base URL and static-only fetcher;
- the same, writing tagged PDF/UA-1 as the product does.

Each run gives one ratio (render + seal) / alone against each of the two; it prints their
median and range, the median times, the page count and peak memory: the process's peak
resident set (ru_maxrss) and the peak of Python allocations during one render and seal
(tracemalloc; weasyprint's C libraries are not counted there).
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The variant the product writes (signoff/pdf.py): weasyprint tagging it costs layout time
# the product cannot avoid, so the ratio is also given against weasyprint doing that alone.
TAGGED = "pdf/ua-1"


def setup(folder: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "pbc.settings.base"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/benchmark.sqlite3"
    os.environ["PDF_SEAL_KEY_PATH"] = f"{folder}/key.pem"
    os.environ["PDF_SEAL_CERT_PATH"] = f"{folder}/certificate.pem"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("make_seal_certificate", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def signed_demo_plan():
    from consortia import demo as consortia_demo
    from consortia.models import User
    from plans import demo as plans_demo
    from plans.exports import content_sha256
    from plans.models import Plan
    from plans.template_files import signatory_key
    from signoff.models import Signature

    consortia_demo.load_organisations()
    plans_demo.load_plans()
    plan = Plan.objects.select_related("consortium__commissioner", "template").get(
        consortium__slug="daccom", template__slug="daccom-locality-plan-2006"
    )
    digest = content_sha256(plan)
    users = list(User.objects.order_by("pk")[: len(plan.template.signatories)])
    signed_at = datetime(2006, 7, 14, 9, 30, tzinfo=UTC)
    signatures = [
        Signature.objects.create(
            plan=plan,
            role=signatory_key(block),
            title=block["title"],
            position=position,
            user=user,
            typed_name=user.full_name,
            signed_at=signed_at + timedelta(hours=position),
            ip_address="192.0.2.10",
            user_agent="Mozilla/5.0 (benchmark)",
            content_sha256=digest,
        )
        for position, (block, user) in enumerate(
            zip(plan.template.signatories, users, strict=True), start=1
        )
    ]
    return plan, signatures, digest


@dataclass(frozen=True)
class Took:
    """How long something took on the clock, and in this process's CPU time (which a busy
    machine disturbs less: time spent waiting for a core is not counted)."""

    wall: float
    cpu: float

    def __add__(self, other: "Took") -> "Took":
        return Took(self.wall + other.wall, self.cpu + other.cpu)


def clocked(function) -> tuple[Took, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return Took(time.perf_counter() - wall, time.process_time() - cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    with tempfile.TemporaryDirectory(prefix="pbc-benchmark-") as folder:
        setup(folder)
        import weasyprint

        from signoff import pdf, seal

        plan, signatures, digest = signed_demo_plan()
        html = pdf.plan_html(plan=plan, signatures=signatures, content_sha256=digest)

        def render():
            return pdf.render_plan_pdf(plan=plan, signatures=signatures, content_sha256=digest)

        def sealed(rendered):
            return seal.seal_pdf(rendered.pdf, reason="benchmark", location="benchmark")

        def alone(variant=None):
            return weasyprint.HTML(
                string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticOnlyFetcher()
            ).write_pdf(pdf_variant=variant)

        def product():
            render_took, rendered = clocked(render)
            seal_took, sealed_pdf = clocked(partial(sealed, rendered))
            return render_took, seal_took, rendered, sealed_pdf

        steps = {"product": product, "alone": alone, "tagged": partial(alone, TAGGED)}
        product()  # warm up: fonts, templates, imports, the seal's key
        alone()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times = {name: [] for name in ("render", "seal", "alone", "tagged")}
        for run in range(runs):
            # Each run starts with a different one of the three.
            for name in [*steps][run % 3 :] + [*steps][: run % 3]:
                took, result = clocked(steps[name])
                if name == "product":
                    render_took, seal_took, rendered, sealed_pdf = result
                    times["render"].append(render_took)
                    times["seal"].append(seal_took)
                else:
                    times[name].append(took)
        build_html = partial(pdf.plan_html, plan=plan, signatures=signatures, content_sha256=digest)
        html_time = statistics.median(clocked(build_html)[0].wall for _ in range(runs))
        tracemalloc.start()
        sealed(render())
        _current, python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"Demo plan: {plan.title} ({plan.template.name}, {plan.template.version_label})")
    print(f"Runs: {runs}, the product and weasyprint alone in turn (medians; wall clock / CPU)")
    print(f"HTML: {len(html):,} characters, built in {html_time * 1000:.0f} ms")
    for name, label in (
        ("render", "render_plan_pdf (tagged PDF/UA-1)"),
        ("seal", "seal_pdf"),
        ("alone", "weasyprint alone"),
        ("tagged", "weasyprint alone, tagged PDF/UA-1"),
    ):
        wall = statistics.median(took.wall for took in times[name])
        cpu = statistics.median(took.cpu for took in times[name])
        print(f"{label + ':':35} {wall:.3f} s / {cpu:.3f} s")
    signed = [
        rendering + sealing
        for rendering, sealing in zip(times["render"], times["seal"], strict=True)
    ]
    for baseline in ("alone", "tagged"):
        for clock in ("wall", "cpu"):
            ratios = [
                getattr(mine, clock) / getattr(theirs, clock)
                for mine, theirs in zip(signed, times[baseline], strict=True)
            ]
            print(
                f"ratio (render + seal)/{baseline}, {clock}: "
                f"median {statistics.median(ratios):.2f}, "
                f"range {min(ratios):.2f}-{max(ratios):.2f} "
                f"({', '.join(f'{ratio:.2f}' for ratio in ratios)})"
            )
    print(
        f"pages: {rendered.page_count}; PDF {len(rendered.pdf):,} bytes, sealed {len(sealed_pdf):,}"
    )
    print(
        f"peak resident memory (ru_maxrss): {rss_peak / 1024:.0f} MiB "
        f"(after warm-up: {rss_before / 1024:.0f} MiB)"
    )
    print(
        f"peak Python allocations in one render and seal (tracemalloc): "
        f"{python_peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
