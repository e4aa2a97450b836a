"""The printed plan: every question, the sign-off and its trail, and nothing fetched but ours."""

import re
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from pypdf import PdfReader

from consortia.models import User
from plans.audit import audit_chain_head
from plans.models import Plan, QuestionKind
from signoff import pdf
from signoff.canonical import content_sha256
from signoff.models import Signature
from tests import demo_data, plan_factories
from tests.factories import UserFactory
from tests.limits import projects_of
from tests.review_factories import SIGNATORIES

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages]


def sign_all(plan, *, when=datetime(2006, 7, 14, 9, 30, tzinfo=UTC)) -> list[Signature]:
    digest = content_sha256(plan)
    signatures = []
    for position, block in enumerate(plan.template.signatories, start=1):
        user = UserFactory(
            role=User.Role.SITE_ADMIN, full_name=f"Signatory {position} Person", is_staff=False
        )
        signatures.append(
            Signature.objects.create(
                plan=plan,
                role=block["key"],
                title=block["title"],
                position=position,
                user=user,
                typed_name=f"S. Person {position}",
                signed_at=when + timedelta(days=position),
                ip_address=f"192.0.2.{position}",
                user_agent=f"Mozilla/5.0 Test Browser {position}",
                content_sha256=digest,
            )
        )
    return signatures


@pytest.fixture
def daccom():
    return plan_factories.demo_daccom_plan()


class RecordingServer:
    """A web server on a free local port that writes down every request it gets."""

    def __init__(self):
        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    with RecordingServer() as server:
        yield server


def hostile(port: int) -> str:
    url = f"http://127.0.0.1:{port}"
    return (
        "<p>Before the hostile parts.</p>"
        '<img src="file:///etc/passwd">'
        f'<img src="{url}/img.png">'
        f'<p style="width:99999999px;font-size:99999999px;margin-top:99999999px">Huge styles.</p>'
        "<style>* { font-size: 99999999px; }</style>"
        f'<link rel="stylesheet" href="{url}/sheet.css">'
        f'<base href="{url}/">'
        '<table><tr><td colspan="99999999">Wide cell.</td></tr></table>'
        f'<svg><image href="{url}/svg.png"/></svg>'
        f'<object data="{url}/object"></object><iframe src="{url}/frame"></iframe>'
        f'<a rel="attachment" href="{url}/attachment">An attachment link.</a>'
        f'<p style="background: url({url}/background.png)">After the hostile parts.</p>'
    )


# --- the document ----------------------------------------------------------------------------


def test_html_holds_every_question_number_of_the_demo_plan(daccom):
    html = pdf.plan_html(plan=daccom, signatures=[], content_sha256=content_sha256(daccom))

    numbers = [q.number for q in daccom.template.questions.all() if q.number]
    assert len(numbers) > 30
    for number in numbers:
        assert f'<span class="question-number">{number}</span>' in html, number
    for part in daccom.template.parts.all():
        assert f'id="part-{part.key}"' in html


def test_html_prints_every_project_however_many_pages_the_web_pages_split_them_into(daccom):
    daccom.answers.filter(question__key="services-to-be-commissioned").update(
        data={"projects": projects_of(45, targets_each=3)}
    )

    html = pdf.plan_html(plan=daccom, signatures=[], content_sha256=content_sha256(daccom))

    assert all(f"Project {p}: Project {p}" in html for p in range(1, 46))
    assert "Pages of projects" not in html


def test_signed_pdf_prints_the_questions_signatories_hash_and_certificate(daccom):
    signatures = sign_all(daccom)
    digest = content_sha256(daccom)

    rendered = pdf.render_plan_pdf(plan=daccom, signatures=signatures, content_sha256=digest)

    pages = pdf_pages(rendered.pdf)
    text = "\n".join(pages)
    assert rendered.page_count == len(pages) > 15
    assert rendered.pdf.startswith(b"%PDF-")
    # Cover: PCT, consortium, title, period, form version.
    assert "Dacorum PCT" in pages[0] and "DacCom" in pages[0] and "2006/07" in pages[0]
    assert "2006/07 revision" in pages[0]
    assert "Signed by 3 signatories, the last on 17 July 2006" in pages[0]
    assert "Contents" in pages[1] and "Certificate of completion" in pages[1]
    for question in daccom.template.questions.all():
        if question.number:
            assert re.search(rf"(^|\s){re.escape(question.number)}\s", text), question.number
    assert "£1,287,000" in text  # a project total from 4.2, computed not typed
    for signature in signatures:
        assert signature.typed_name in text and signature.title in text
    assert digest in text
    assert f"Page 1 of {rendered.page_count}" in pages[0]
    assert f"Page {rendered.page_count} of {rendered.page_count}" in pages[-1]
    # The last page is the certificate of completion: who, as what, when, from where.
    certificate = pages[-1]
    assert "Certificate of completion" in certificate
    for signature in signatures:
        assert signature.user.full_name in certificate
        assert signature.ip_address in certificate
        assert signature.user_agent in certificate
    assert "2006-07-15 09:30:00 UTC" in certificate
    assert "15 July 2006, 10:30:00 BST" in certificate
    assert digest in certificate
    length, head = audit_chain_head(daccom)
    assert f"Audit chain links {length}\nAudit chain head {head}\n" in certificate
    assert length == 3, "the three signatures are linked"
    assert "DRAFT" not in text


def test_the_certificate_gives_the_verification_pages_address_and_what_each_signatory_gave(
    daccom, settings, tmp_path
):
    settings.SITE_URL, settings.SITE_URL_GIVEN = "https://plans.example.org", True
    signatures = sign_all(daccom)

    rendered = pdf.render_plan_pdf(
        plan=daccom, signatures=signatures, content_sha256=content_sha256(daccom)
    )

    note = " ".join(layout_text(rendered.pdf, tmp_path).split("\f")[-2].split())
    address = "https://plans.example.org/verify/"
    assert f"check it on the service's verification page at {address}" in note
    assert (
        "re-entered their password before signing and, where their account has an "
        "authenticator app, gave a code from it or one of their recovery codes." in note
    )


def test_without_the_services_address_the_certificate_names_the_verification_page_alone(
    daccom, settings
):
    settings.SITE_URL_GIVEN = False
    signatures = sign_all(daccom)

    html = pdf.plan_html(plan=daccom, signatures=signatures, content_sha256=content_sha256(daccom))

    assert "check it on the service's verification page.</p>" in html
    assert "/verify/" not in html


def test_a_draft_is_watermarked_with_date_and_revision_and_left_unsigned():
    plan = plan_factories.plan_with_questions(questions=5)
    plan.template.signatories = SIGNATORIES[:1]
    plan.template.save()
    signatures = sign_all(plan)
    mark = pdf.DraftMark(generated_at=datetime(2007, 1, 9, 16, 5, tzinfo=UTC), revision=17)

    rendered = pdf.render_plan_pdf(
        plan=plan, signatures=signatures, content_sha256=content_sha256(plan), draft=mark
    )

    pages = pdf_pages(rendered.pdf)
    for page in pages:
        assert "DRAFT" in page and "Revision 17" in page and "9 January 2007" in page
    text = "\n".join(pages)
    assert "Not signed" in text
    assert "S. Person 1" not in text
    assert "Certificate of completion" not in text
    assert "Audit chain" not in text


def test_a_title_that_names_its_year_short_is_not_given_it_again_in_the_running_header():
    demo_data.load_organisations_and_plans()
    plan = Plan.objects.get(consortium__slug="banes")
    mark = pdf.DraftMark(generated_at=datetime(2007, 6, 22, 9, 0, tzinfo=UTC), revision=1)

    rendered = pdf.render_plan_pdf(
        plan=plan, signatures=[], content_sha256=content_sha256(plan), draft=mark
    )

    assert plan.title.endswith("for 07/08") and plan.period == "2007/08"
    assert PdfReader(BytesIO(rendered.pdf)).metadata.title == f"{plan.title}, draft"
    assert f"{plan.title} (draft)" in pdf_pages(rendered.pdf)[1]


def test_the_pdf_uses_the_bundled_fonts_only(daccom):
    fetcher = pdf.StaticOnlyFetcher()
    html = pdf.plan_html(plan=daccom, signatures=[], content_sha256="0" * 64)

    rendered = pdf.write_pdf(html, fetcher=fetcher)

    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(BytesIO(rendered.pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Named after the @font-face family, so no system font stood in.
    assert fonts and all("PBC-Sans" in font for font in fonts), fonts
    assert f"{pdf.STATIC_BASE}css/pdf.css" in fetcher.served
    assert any(url.endswith("fonts/LiberationSans-Bold.ttf") for url in fetcher.served)
    assert fetcher.refused == []
    assert (STATIC / "fonts" / "OFL.txt").read_text().startswith("Liberation Sans")


# --- hostile answers -------------------------------------------------------------------------


def test_hostile_answers_fetch_nothing_and_do_not_stall_the_render(listener):
    plan = plan_factories.plan_with_questions(questions=4)
    question = plan.template.questions.get(key="question-1")
    # Stored as if the sanitiser on save had been bypassed.
    plan.answers.filter(question=question).update(text=hostile(listener.port))
    plan.template.parts.filter(key="one").update(guidance=hostile(listener.port))

    started = time.monotonic()
    rendered = pdf.render_plan_pdf(plan=plan, signatures=[], content_sha256="0" * 64)
    elapsed = time.monotonic() - started

    assert elapsed < 30
    assert listener.requests == []
    text = "\n".join(pdf_pages(rendered.pdf))
    assert "Before the hostile parts." in text and "After the hostile parts." in text
    assert "Huge styles." in text and "Wide cell." in text
    html = pdf.plan_html(plan=plan, signatures=[], content_sha256="0" * 64)
    for leftover in ("<img", "<style", "style=", "<link", "<base", "<svg", "<object", "<iframe"):
        assert leftover not in html.split("</head>", 1)[1], leftover
    assert 'colspan="99999999"' not in html
    assert 'rel="attachment"' not in html


def test_weasyprint_given_hostile_html_directly_fetches_nothing_through_our_fetcher(listener):
    url = f"http://127.0.0.1:{listener.port}"
    html = (
        f'<img src="file:///etc/passwd"><img src="{url}/x.png">'
        f'<link rel="stylesheet" href="{url}/sheet.css">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<img src="/static/../../../etc/passwd"><p>Still rendered.</p>'
    )
    fetcher = pdf.StaticOnlyFetcher()

    rendered = pdf.write_pdf(html, fetcher=fetcher)

    assert listener.requests == []
    assert "Still rendered." in "".join(pdf_pages(rendered.pdf))
    assert "file:///etc/passwd" in fetcher.refused
    assert f"{url}/x.png" in fetcher.refused and f"{url}/sheet.css" in fetcher.refused
    assert fetcher.served == []


# --- the fetcher -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/css/pdf.css",
        "http://pbc-plans.invalid/static/css/pdf.css",
        "data:text/css,body{}",
        f"{pdf.STATIC_ORIGIN}/etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static/../../etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static/%2e%2e/%2e%2e/pbc/settings/base.py",
        f"{pdf.STATIC_ORIGIN}/static/css/../../manage.py",
        f"{pdf.STATIC_ORIGIN}/static//etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static/js/app.mjs",
        f"{pdf.STATIC_ORIGIN}/static/css/pdf.css?x=1",
        f"{pdf.STATIC_ORIGIN}/static/css/missing.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    fetcher = pdf.StaticOnlyFetcher()

    with pytest.raises(pdf.FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_print_stylesheet_and_fonts():
    fetcher = pdf.StaticOnlyFetcher()

    css = fetcher.fetch(f"{pdf.STATIC_BASE}css/pdf.css")
    font = fetcher.fetch(f"{pdf.STATIC_BASE}fonts/LiberationSans-Regular.ttf")

    assert css.read() == (STATIC / "css" / "pdf.css").read_bytes()
    assert css.content_type == "text/css"
    assert font.read() == (STATIC / "fonts" / "LiberationSans-Regular.ttf").read_bytes()
    assert font.content_type == "font/ttf"


def test_the_fetcher_is_what_weasyprint_calls():
    fetcher = pdf.StaticOnlyFetcher()

    with weasyprint.urls.fetch(fetcher, f"{pdf.STATIC_BASE}css/pdf.css") as response:
        assert b"@page" in response.read()
    with (
        pytest.raises(weasyprint.urls.URLFetchingError),
        weasyprint.urls.fetch(fetcher, "file:///etc/passwd"),
    ):
        pass


def test_printable_keeps_text_tables_and_links_and_drops_what_could_load_or_blow_up():
    cleaned = pdf.printable(
        '<p class="x" style="width:9999px">Text <a href="https://example.org" rel="attachment">'
        'link</a></p><img src="x.png"><script>alert(1)</script><style>p{}</style>'
        '<table><tr><th scope="row" colspan="5000">A</th><td rowspan="3">B</td></tr></table>'
        '<a href="javascript:alert(1)">js</a>'
    )

    assert "style" not in cleaned and "<img" not in cleaned and "alert" not in cleaned
    assert 'colspan="20"' in cleaned and 'rowspan="3"' in cleaned
    assert 'href="https://example.org"' in cleaned and "attachment" not in cleaned
    assert "javascript" not in cleaned
    assert 'class="x"' in cleaned


def test_a_plan_far_larger_than_any_real_one_is_refused_before_layout(daccom, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_HTML_CHARACTERS", 1000)

    with pytest.raises(pdf.RenderRefused):
        pdf.render_plan_pdf(plan=daccom, signatures=[], content_sha256="0" * 64)


def test_building_the_html_takes_the_same_queries_however_many_questions(
    django_assert_max_num_queries,
):
    small = plan_factories.plan_with_questions(questions=4)
    large = plan_factories.plan_with_questions(questions=40)
    assert large.template.questions.filter(kind=QuestionKind.RICH_TEXT).count() > 30

    with django_assert_max_num_queries(12):
        pdf.plan_html(plan=small, signatures=[], content_sha256="0" * 64)
    with django_assert_max_num_queries(12):
        pdf.plan_html(plan=large, signatures=[], content_sha256="0" * 64)


# --- totals ----------------------------------------------------------------------------------


def layout_text(data: bytes, tmp_path) -> str:
    """The PDF's text as poppler lays it out, pages split by form feeds."""
    document = tmp_path / "plan.pdf"
    document.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(document), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_banes_weightings_total_prints_once_after_the_last_outcome_however_the_pages_fall(
    tmp_path,
):
    demo_data.load_organisations_and_plans()
    banes = Plan.objects.get(consortium__slug="banes")
    digest = content_sha256(banes)

    text = layout_text(
        pdf.render_plan_pdf(plan=banes, signatures=[], content_sha256=digest).pdf, tmp_path
    )

    # The framework runs over a page break, and its total is printed at its end only.
    total = "Total (5% + 5% + 20% + 40% + 30%)"
    assert text.count(total) == 1
    assert text.index("6.3 All practices within natural variation") < text.index(total)
    assert content_sha256(banes) == digest


def test_a_long_table_with_a_total_prints_the_total_once_after_its_last_row(daccom, tmp_path):
    lines = [{"activity": f"Activity number {n}", "hours": "10"} for n in range(1, 121)]
    daccom.answers.filter(question__key="capacity-planning").update(
        data={"funded_hours": "1200", "lines": lines}
    )

    rendered = pdf.render_plan_pdf(plan=daccom, signatures=[], content_sha256="0" * 64)
    text = layout_text(rendered.pdf, tmp_path)

    runs_over = [page for page in text.split("\f") if "Activity number" in page]
    assert len(runs_over) > 1
    totals = [found.start() for found in re.finditer(r"Total\s+1,200 hours", text)]
    assert len(totals) == 1
    assert text.index("Activity number 120") < totals[0]


def test_an_approved_plans_pdf_still_says_an_empty_answer_is_not_answered():
    """A frozen plan's task list says "Not answered", not "Not started" (0472): the PDF, made
    once the plan is approved, prints the same words for an empty answer as a draft's."""
    plan = plan_factories.plan_with_questions(questions=5)
    plan.answers.exclude(question__key="question-1").update(text="<p>Written.</p>")

    printed = {}
    for status in (Plan.Status.DRAFT, Plan.Status.APPROVED):
        plan.status = status
        printed[status] = pdf.plan_html(plan=plan, signatures=[], content_sha256="0" * 64)

    assert [html.count('class="unanswered"') for html in printed.values()] == [1, 1]
