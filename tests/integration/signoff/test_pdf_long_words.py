"""One unbroken word (a pasted address, a run of one letter) in a table's cell used to widen
its column past the paper, so the draft and the sealed PDF printed no trace of the columns
after it, and the sealed file still verified. Read as laid out, with pdftotext: what falls
off the page is not in its text."""

import pytest

from plans.models import Answer, QuestionKind
from signoff import pdf, services
from signoff.canonical import content_sha256
from signoff.verification import Outcome, verify_upload
from tests import demo_data
from tests.integration.signoff.pdf_helpers import (
    draft_pdf,
    printed_text,
    signed_by_all,
    signed_documents,
)
from tests.plan_factories import plan_with_questions
from tests.review_factories import three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LENGTHS = [90, 321]
SCHEMES = [
    {"key": "scheme", "label": "Scheme"},
    {"key": "partners", "label": "Partners involved"},
    {"key": "budget", "label": "Budget (£)", "type": "money"},
    {"key": "starts", "label": "Start date", "type": "date"},
    {"key": "share", "label": "Share (%)", "type": "percent"},
]


def table_answer(plan) -> Answer:
    return plan.answers.select_related("question").get(question__key="practices")


def assert_printed_whole(text: str, long_word: str, headings: list[str], cells: list[str]):
    # Word by word: the draft's watermark letters fall between the table's in reading order.
    words = text.split()
    for shown in " ".join([*headings, *cells]).split():
        assert shown in words, shown
    # Broken over lines, the whole word is still on the paper, letter for letter, in order.
    pieces = [word for word in words if len(word) > 8 and set(word) <= set(long_word)]
    assert long_word in "".join(pieces)


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_word_in_a_typed_tables_cell_leaves_every_column_on_the_draft_pdf(length):
    plan = plan_with_questions(questions=4)
    answer = table_answer(plan)
    answer.question.columns = SCHEMES
    answer.question.save(update_fields=["columns"])
    long_word = "w" * length
    answer.rows = [
        {"scheme": f"Pilot {long_word} scheme", "partners": "Acute trust and GP practices",
         "budget": "12500", "starts": "2008-04-01", "share": "70"},
    ]  # fmt: skip
    answer.save(update_fields=["rows"])

    rendered = draft_pdf(plan)

    assert_printed_whole(
        printed_text(rendered.pdf),
        long_word,
        ["Scheme", "Partners involved", "Budget (£)", "Start date", "Share (%)"],
        ["£12,500", "1 April 2008", "70%", "Acute trust"],
    )


def test_a_long_address_in_a_table_cell_leaves_every_column_on_the_sealed_pdf_which_verifies(
    django_capture_on_commit_callbacks,
):
    plan = three_signatory_plan()
    answer = table_answer(plan)
    long_word = "https://example.org/" + "p" * 301
    answer.rows = [{"name": long_word, "code": "E82001"}, {"name": "Red House", "code": "E82002"}]
    answer.save(update_fields=["rows"])
    signed_by_all(plan)

    with django_capture_on_commit_callbacks(execute=True):
        services.signed_pdf_request(plan=plan, content_sha256=content_sha256(plan))
    (document,) = signed_documents(plan)
    sealed = bytes(document.pdf)

    assert_printed_whole(
        printed_text(sealed), long_word, ["Practice", "Code"], ["E82001", "E82002"]
    )
    assert verify_upload(sealed).outcome == Outcome.SEALED


def test_a_paragraph_breaks_a_word_too_long_for_the_line_instead_of_losing_its_end():
    plan = plan_with_questions(questions=4)
    long_word = "q" * 321
    plan.answers.exclude(question__key="practices").update(text=f"<p>Before {long_word} after</p>")

    rendered = draft_pdf(plan)

    assert_printed_whole(printed_text(rendered.pdf), long_word, [], ["Before", "after"])


def test_only_words_longer_than_the_limit_are_marked_and_the_text_is_kept_as_it_was():
    long_word = "x" * (pdf.LONG_WORD + 1)
    html = f'<p>Fish &amp; chips {"y" * pdf.LONG_WORD} <a href="https://e.org/?a=1&amp;b=2">{long_word}</a></p>'

    printed = pdf.printable(html)

    assert printed == (
        f'<p>Fish &amp; chips {"y" * pdf.LONG_WORD} <a href="https://e.org/?a=1&amp;b=2" '
        f'rel="noopener noreferrer"><span class="pdf-long-word">{long_word}</span></a></p>'
    )


def test_a_long_link_address_or_run_of_tags_is_not_read_as_a_long_word(monkeypatch):
    def copied_word_by_word():
        raise AssertionError("no word of the text is longer than LONG_WORD")

    # Only the search for long words is skipped: what is printed is the same either way.
    monkeypatch.setattr(pdf, "_LongWords", copied_word_by_word)
    address = "https://example.org/" + "p" * 100
    html = (
        '<table><tbody><tr><td class="cell"><strong><a href="'
        f'{address}" rel="noopener noreferrer">A short link</a></strong></td></tr></tbody></table>'
    )

    assert pdf.printable(html) == html


@pytest.fixture
def demo_tables():
    """A table of three or more columns with rows from each demo form that has one: BANES's
    pathway table and Red House's KPIs (their columns are text; the typed ones are above)."""
    demo_data.load_organisations_and_plans()
    chosen: dict[int, Answer] = {}
    answers = (
        Answer.objects.filter(question__kind=QuestionKind.TABLE)
        .exclude(rows=[])
        .select_related("plan__template", "question")
        .order_by("plan_id", "question__position")
    )
    for answer in answers:
        if len(answer.question.columns) > 2:
            chosen.setdefault(answer.plan.template_id, answer)
    assert len(chosen) >= 2, "BANES's and a second form's tables"
    return list(chosen.values())


@pytest.mark.parametrize("length", [60, 321])
def test_a_long_word_in_each_demo_forms_table_leaves_every_later_column_on_the_draft_pdf(
    length, demo_tables
):
    for answer in demo_tables:
        first, *later = answer.question.columns
        long_word = "w" * length  # no word of the page, nor of the draft's mark, is all w's
        answer.rows = [{**answer.rows[0], first["key"]: long_word}]
        answer.save(update_fields=["rows"])

        rendered = draft_pdf(answer.plan)

        text = printed_text(rendered.pdf)
        words = text.split()
        for heading in [column["label"] for column in later]:
            assert all(word in words for word in heading.split()), (answer.plan, heading)
        for column in later:
            # A later cell's first word, read where the table prints it.
            first_word = str(answer.rows[0].get(column["key"]) or "").split()[:1]
            assert all(word in text for word in first_word), (answer.plan, column["label"])
        # Broken over lines (the last may hold one letter), the whole word is on the paper.
        assert long_word in "".join(word for word in words if set(word) == {"w"}), answer.plan
