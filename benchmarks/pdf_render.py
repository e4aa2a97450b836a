"""How long the signed PDF of the demo DacCom plan takes, against weasyprint alone.

    .venv/bin/python benchmarks/pdf_render.py [--runs 5]

Loads the demo data into a throwaway SQLite database, signs the DacCom plan with three
signatures, builds its HTML once, then times (median of ``--runs``):

- ``render_plan_pdf``: the product's renderer (HTML from the live plan, then weasyprint);
- weasyprint alone on the same HTML, with the same base URL and static-only fetcher;
- ``seal_pdf`` on the result.

It prints both render times and their ratio (the product's overhead over layout), the page
count, and peak memory: the process's peak resident set (ru_maxrss) and the peak of Python
allocations during one render (tracemalloc; weasyprint's C libraries are not counted there).
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


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

        def product():
            return pdf.render_plan_pdf(plan=plan, signatures=signatures, content_sha256=digest)

        def alone():
            return weasyprint.HTML(
                string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticOnlyFetcher()
            ).write_pdf()

        product()  # warm up: fonts, templates, imports
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        product_time, rendered = timed(product, runs)
        alone_time, _ = timed(alone, runs)
        seal_time, sealed = timed(
            lambda: seal.seal_pdf(rendered.pdf, reason="benchmark", location="benchmark"), runs
        )
        html_time, _ = timed(
            lambda: pdf.plan_html(plan=plan, signatures=signatures, content_sha256=digest), runs
        )
        tracemalloc.start()
        product()
        _current, python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"Demo plan: {plan.title} ({plan.template.name}, {plan.template.version_label})")
    print(f"Runs: {runs} (median)")
    print(f"HTML: {len(html):,} characters, built in {html_time * 1000:.0f} ms")
    print(f"render_plan_pdf:       {product_time:.3f} s")
    print(f"weasyprint alone:      {alone_time:.3f} s")
    print(f"ratio (product/alone): {product_time / alone_time:.2f}")
    print(f"seal_pdf:              {seal_time:.3f} s")
    print(f"ratio (render + seal)/alone: {(product_time + seal_time) / alone_time:.2f}")
    print(f"pages: {rendered.page_count}; PDF {len(rendered.pdf):,} bytes, sealed {len(sealed):,}")
    print(
        f"peak resident memory (ru_maxrss): {rss_peak / 1024:.0f} MiB "
        f"(after warm-up: {rss_before / 1024:.0f} MiB)"
    )
    print(f"peak Python allocations in one render (tracemalloc): {python_peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
