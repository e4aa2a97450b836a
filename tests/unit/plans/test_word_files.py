"""Word files that cannot be read safely are refused before mammoth reads them, with what to do;
nothing a file links to is ever fetched."""

import io
import socket
import urllib.request

import docx as python_docx
import pytest

from plans.word_files import (
    FIGURES_TABLE_STYLE,
    FORM_TEXT_STYLE,
    Deadline,
    WordRefused,
    blocks_of,
    check_docx,
    docx_html,
    refuse_by_name,
    written_here,
)
from plans.word_writing import add_hyperlink, ensure_styles
from tests.word_documents import (
    entity_docx,
    linked_image_docx,
    macro_docx,
    many_paragraphs_docx,
    odt_file,
    old_word_doc,
    password_protected_docx,
    rewrite_parts,
    simple_docx,
    zip_bomb_docx,
)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach the network fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("The Word reader tried to fetch something.")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def refusal(data: bytes) -> str:
    with pytest.raises(WordRefused) as refused:
        docx_html(data, deadline=Deadline())
    return refused.value.message


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("plan.doc", "Save As > Word Document (.docx)"),
        ("plan.odt", "save it as a Word Document (.docx)"),
        ("plan.docm", "macros (.docm)"),
        ("plan.pdf", "Choose a Word document (.docx)"),
    ],
)
def test_files_named_as_other_formats_are_refused_with_what_to_do(name, advice):
    with pytest.raises(WordRefused) as refused:
        refuse_by_name(name)
    assert advice in refused.value.message


def test_a_linked_picture_is_refused_and_never_fetched(no_network):
    message = refusal(linked_image_docx())
    assert "http://attacker.invalid/track.png" in message
    assert "Nothing outside the file is fetched" in message


def test_a_zip_bomb_is_refused_from_its_directory_without_expanding_it():
    data = zip_bomb_docx()
    assert len(data) < 1024 * 1024
    assert "zip bomb" in refusal(data)


def test_a_macro_enabled_file_under_a_docx_name_is_refused():
    assert "contains macros" in refusal(macro_docx())


def test_xml_entities_are_refused_before_any_parser_expands_them():
    assert "declares its own XML entities" in refusal(entity_docx())


def test_a_password_protected_file_is_named_as_such():
    assert "protected with a password" in refusal(password_protected_docx())


def test_an_old_doc_renamed_docx_is_named_as_such():
    assert "old Word document (.doc)" in refusal(old_word_doc())


def test_an_odt_renamed_docx_is_named_as_such():
    assert "OpenDocument text file (.odt)" in refusal(odt_file())


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04broken", simple_docx("x")[:400]])
def test_a_damaged_file_is_refused_as_damaged(data):
    assert "damaged" in refusal(data) or "not a Word document" in refusal(data)


def test_a_file_over_the_upload_cap_is_refused_with_the_limit():
    assert "smaller than 5 MB" in refusal(b"PK" + b"\x00" * (5 * 1024 * 1024))


def test_ten_thousand_paragraphs_are_read_completely(no_network):
    markup = docx_html(many_paragraphs_docx(10_000), deadline=Deadline())
    blocks = blocks_of(
        markup,
        is_heading=lambda text: False,
        columns_named=lambda header: 0,
        deadline=Deadline(),
    )
    assert len(blocks) == 10_000
    assert blocks[-1].text == "Paragraph 9999 of a very long document with some words."


def test_reading_stops_with_a_message_once_past_its_time_limit():
    with pytest.raises(WordRefused) as refused:
        docx_html(simple_docx("x"), deadline=Deadline(seconds=-1))
    assert "took too long" in refused.value.message


def test_a_hyperlink_is_kept_as_a_link_and_not_followed(no_network):
    document = python_docx.Document()
    add_hyperlink(document.add_paragraph("See "), "https://example.org/plan", "the plan")
    buffer = io.BytesIO()
    document.save(buffer)
    check_docx(buffer.getvalue())
    assert 'href="https://example.org/plan"' in docx_html(buffer.getvalue(), deadline=Deadline())


def test_underlining_and_quotations_written_in_word_are_read_as_the_answers_keep_them():
    document = python_docx.Document()
    paragraph = document.add_paragraph("Agreed ")
    paragraph.add_run("with the PCT").underline = True
    document.add_paragraph("Every practice will report monthly.", style="Quote")
    document.add_paragraph("Quarterly to the board.", style="Intense Quote")
    document.add_paragraph("Reviewed")
    data = io.BytesIO()
    document.save(data)

    assert docx_html(data.getvalue(), deadline=Deadline()) == (
        "<p>Agreed <u>with the PCT</u></p><blockquote><p>Every practice will report monthly.</p>"
        "<p>Quarterly to the board.</p></blockquote><p>Reviewed</p>"
    )


def test_more_paragraphs_than_a_plan_can_have_are_refused_before_reading():
    assert "more than the 20,000 a plan can have" in refusal(many_paragraphs_docx(20_001))


@pytest.mark.parametrize(
    "body",
    [
        b"<w:document><unclosed",
        b"\xff\xfe not XML at all",
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>a\x01b</w:t></w:r></w:p>'
        b"</w:body></w:document>",
    ],
)
def test_a_document_whose_text_is_not_well_formed_xml_is_refused_as_damaged(body):
    assert "damaged" in refusal(rewrite_parts(simple_docx("x"), {"word/document.xml": body}))


def test_the_exports_figures_table_is_kept_as_figures_and_the_export_is_recognised():
    document = python_docx.Document()
    ensure_styles(document)
    document.add_paragraph("Weightings worked out from the entries", style=FORM_TEXT_STYLE)
    table = document.add_table(rows=2, cols=2)
    table.style = FIGURES_TABLE_STYLE
    for cell, text in zip(table._cells, ["Outcome", "Weighting", "Referrals", "20%"], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    (block,) = blocks_of(
        docx_html(data, deadline=Deadline()),
        is_heading=lambda text: True,  # a label beside its answer would read as a layout table
        columns_named=lambda header: 0,
        deadline=Deadline(),
    )
    assert (block.kind, block.figures) == ("table", True)
    assert block.rows == [["Outcome", "Weighting"], ["Referrals", "20%"]]
    assert written_here(data)
    assert not written_here(simple_docx("A plan typed in Word."))
