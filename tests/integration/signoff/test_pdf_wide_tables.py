"""A PCT's table with more columns than a portrait page holds (savings by month, a long list of
indicators) used to run past the paper's edge: the draft and the sealed PDF printed no trace
of its last columns, and the sealed file still verified. Read as laid out, with pdftotext and
each page's size: what falls off the page is not in its text."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from plans.models import Plan
from signoff import pdf, services
from signoff.canonical import content_sha256
from signoff.pdf_fit import Fit
from signoff.verification import Outcome, verify_upload
from tests import demo_data
from tests.integration.signoff.pdf_helpers import (
    MONTHS,
    SAVINGS_BY_MONTH,
    SCHEMES,
    draft_pdf,
    figures,
    printed_text,
    savings_rows,
    signed_by_all,
    signed_documents,
    with_columns,
)
from tests.plan_factories import plan_with_questions
from tests.review_factories import three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def page_sizes(data: bytes) -> list[tuple[float, float, str]]:
    """Each page's width and height in points, and its text."""
    return [
        (float(page.mediabox.width), float(page.mediabox.height), page.extract_text() or "")
        for page in PdfReader(BytesIO(bytes(data))).pages
    ]


def words_off_the_paper(data: bytes) -> list[str]:
    """The words pdftotext finds reaching past the right edge of their page."""
    layout = printed_text(data, "-bbox")
    off = []
    for width, body in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', layout, re.S):
        off += [
            word
            for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', body)
            if float(x_max) > float(width)
        ]
    return off


def test_a_sealed_plan_prints_a_table_too_wide_for_portrait_whole_across_a_landscape_page(
    django_capture_on_commit_callbacks,
):
    plan = three_signatory_plan()
    rows = savings_rows()
    with_columns(plan, SAVINGS_BY_MONTH, rows)
    signed_by_all(plan)

    with django_capture_on_commit_callbacks(execute=True):
        services.signed_pdf_request(plan=plan, content_sha256=content_sha256(plan))
    (document,) = signed_documents(plan)
    sealed = bytes(document.pdf)

    words = printed_text(sealed).split()
    for shown in [*figures(rows), *" ".join(SCHEMES).split(), *MONTHS]:
        assert shown in words, shown
    assert not words_off_the_paper(sealed)
    pages = page_sizes(sealed)
    (turned,) = [n for n, (width, height, _) in enumerate(pages) if width > height]
    assert "Savings by month" in pages[turned][2]
    # The next question is back on a portrait page, which it begins.
    width, height, text = pages[turned + 1]
    assert width < height and "Fair shares weighting" in text
    assert "Fair shares weighting" not in pages[turned][2]
    assert verify_upload(sealed).outcome == Outcome.SEALED


def printed_across_landscape(columns: int, word: str) -> list[str]:
    """The words of a draft whose one row has ``columns`` cells of ``word`` and a marker, after
    checking that every heading and marker is on the paper, across a landscape page."""
    plan = plan_with_questions(questions=4)
    headings = [{"key": f"c{n}", "label": f"H{n:02d}"} for n in range(columns)]
    with_columns(plan, headings, [{f"c{n}": f"{word} c{n:02d}" for n in range(columns)}])

    rendered = draft_pdf(plan)

    words = printed_text(rendered.pdf).split()
    for n in range(columns):
        assert f"H{n:02d}" in words and f"c{n:02d}" in words, n
    assert not words_off_the_paper(rendered.pdf)
    assert any(width > height for width, height, _ in page_sizes(rendered.pdf))
    return words


def test_a_table_too_wide_for_landscape_is_printed_in_smaller_type_with_its_words_whole():
    words = printed_across_landscape(12, "Reconfigurations")

    # Broken anywhere, as a table past even a landscape page once was, the word came apart.
    assert words.count("Reconfigurations") == 12


def test_a_table_too_wide_even_for_landscape_breaks_its_words_and_leaves_no_column_off():
    printed_across_landscape(30, "Reconfiguration")


def test_every_answer_of_the_five_demo_plans_stays_on_a_portrait_page():
    demo_data.load_organisations_and_plans()
    plans = list(Plan.objects.all())

    printed = [pdf.plan_html(plan=plan, signatures=[], content_sha256="0" * 64) for plan in plans]

    assert len(plans) == 5
    assert all('class="question"' in html for html in printed)
    assert not [plan for plan, html in zip(plans, printed, strict=True) if Fit.LANDSCAPE in html]
