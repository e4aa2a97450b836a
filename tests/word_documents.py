"""Word files for the import tests, built with python-docx from the seed documents' text.

``daccom_2006_07_docx`` lays out DacCom's filled plan as seed 004 prints it: numbered part
headings, the form's guidance (1.1-1.3 and each part's introduction), Sections 1-3 as tables
(label and value side by side, the practices, directors, executive and PCT team as tables of
rows), question headings with their "(For completion by ...)" and explanatory-note markers
exactly as printed, the printed prompts, the answers (transcribed in plans/demo), the sign-off
block, the return instructions and the reviewers' margin comments left at the end of the text.

The hostile files are built here too: each is what its name says, a few kilobytes in size.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import docx
import yaml

from plans import services, word_import
from plans.demo import read_demo_plan
from plans.word_writing import write_html
from signoff.word_export import plan_docx
from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "word_fixtures"
FORM_TEXT_004 = yaml.safe_load((FIXTURES / "seed-004-form-text.yaml").read_text(encoding="utf-8"))
DASH = "\u2013"  # the en dash the seeds print between a name and what it is
# The question headings as 004 prints them (its later revision of the DacCom form).
HEADINGS_004 = FORM_TEXT_004["headings"]
PARTS_004 = FORM_TEXT_004["parts"]
# The margin comments 004 prints after the sign-off block, as Word's text export leaves them.
COMMENTS_004 = FORM_TEXT_004["comments"]


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _label_table(document, pairs):
    table = document.add_table(rows=len(pairs), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in enumerate(pairs):
        table.cell(row, 0).text = label
        cell = table.cell(row, 1)
        lines = value if isinstance(value, list) else [value]
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    return table


def _rows_table(document, header, rows):
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = "Table Grid"
    for c, label in enumerate(header):
        table.cell(0, c).text = label
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return table


def daccom_2006_07_docx(template) -> bytes:
    """Seed 004 as a Word document; ``template`` is the form it was written on."""
    demo = read_demo_plan("daccom-2006-07.yaml")
    answers = demo["answers"]
    questions = {q.key: q for q in template.questions.all()}
    parts = {p.key: p for p in template.parts.all()}
    document = docx.Document()
    document.add_heading("1. INTRODUCTION", 1)
    write_html(document, parts["introduction"].guidance.replace("h4>", "h2>"))

    document.add_heading("2. COMMISSIONING PLAN", 1)
    document.add_paragraph(f"Section 1 {DASH} DacCom Details")
    _label_table(
        document, [("Name", "DacCom PbC Limited"), ("Number of practices in DacCom", "19")]
    )
    document.add_paragraph("Names of all GP Practices in Cluster")
    practices = [row["name"] for row in answers["practices"]["rows"]]
    _rows_table(
        document, ["No.", "Practice"], [[str(n), name] for n, name in enumerate(practices, 1)]
    )
    document.add_paragraph(f"Section 2 {DASH} DacCom Organisation")
    boards = {"2.1   Directors": "directors", "2.2   Executive Committee": "executive-committee"}
    for heading, key in boards.items():
        document.add_paragraph(heading)
        rows = answers[key]["rows"]
        _rows_table(
            document,
            ["", "Name", "Discipline"],
            [[str(n), r["name"], r["discipline"]] for n, r in enumerate(rows, 1)],
        )
    document.add_paragraph(
        f"2.3   DacCom Leads {DASH} Please identify a lead(s) for DacCom for the following areas:"
    )
    _label_table(
        document,
        [
            (
                "Clinical Lead(s)",
                [f"{r['name']} {DASH} {r['area']}" for r in answers["clinical-leads"]["rows"]],
            ),
            ("Managerial Lead(s)", [r["name"] for r in answers["managerial-leads"]["rows"]]),
        ],
    )
    document.add_paragraph(f"Section 3 {DASH} PCT Support")
    for key in ("resources-required", "pct-support-team"):
        document.add_paragraph(HEADINGS_004[key])
        for prompt in questions[key].prompts:
            document.add_paragraph(prompt)
        if key == "pct-support-team":
            _rows_table(
                document,
                ["", "Name", "Role"],
                [[str(n), r["name"], r["role"]] for n, r in enumerate(answers[key]["rows"], 1)],
            )
        else:
            write_html(document, answers[key]["text"])

    for part_key, part_heading in PARTS_004.items():
        document.add_heading(part_heading, 1)
        write_html(document, parts[part_key].guidance)
        for question in parts[part_key].questions.order_by("position"):
            document.add_heading(HEADINGS_004[question.key], 2)
            text = answers.get(question.key, {}).get("text", "")
            if len(question.prompts) == 1:
                document.add_paragraph(question.prompts[0])
            # Several prompts: the answer repeats each as its heading, as the seed prints it.
            write_html(document, text.replace("<h4>", "<p>").replace("</h4>", "</p>"))

    document.add_heading("10. PLAN SIGN-OFF", 1)
    document.add_paragraph("Once completed this plan requires signatures from the following:")
    for title in (
        "DacCom Executive Chair",
        "Joint PEC Commissioning Committee Chair",
        "PCT Chief Executive",
    ):
        document.add_paragraph(title)
        _label_table(document, [("Name:", ""), ("Date:", ""), ("SIGNATURE:", "")])
    document.add_paragraph(
        "On completion, this template should be returned to the Primary Care Commissioning Team "
        "at the PCT by email to: john.phipps@nhs.net , or by post to: Royalty House, 10 King "
        "Street, Watford, WD18 0BW"
    )
    for comment in COMMENTS_004:
        document.add_paragraph(comment)
    return _save(document)


# --- hostile files ------------------------------------------------------------------------------


def simple_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return _save(document)


def rewrite_parts(
    data: bytes, changes: dict[str, bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, changes.get(item.filename, source.read(item.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def edited_docx(text: str, part: str, old: str, new: str, *, count=-1, extra=None) -> bytes:
    """A document of one paragraph, ``text``, with ``old`` replaced by ``new`` in its ``part``
    (``count`` times at most) and the ``extra`` parts added."""
    data = simple_docx(text)
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part).decode()
    return rewrite_parts(data, {part: xml.replace(old, new, count).encode()}, extra)


def linked_image_docx() -> bytes:
    """A picture linked (not embedded) from a web address: Word would fetch it on opening."""
    return edited_docx(
        "A plan with a linked picture.",
        "word/_rels/document.xml.rels",
        "</Relationships>",
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/image" Target="http://attacker.invalid/track.png" TargetMode="External"/>'
        "</Relationships>",
    )


def macro_docx() -> bytes:
    return edited_docx(
        "A plan with macros.",
        "[Content_Types].xml",
        "wordprocessingml.document.main+xml",
        "word.document.macroEnabled.main+xml",
        extra={"word/vbaProject.bin": b"\x00" * 64},
    )


def zip_bomb_docx() -> bytes:
    """A few kilobytes that expand to 200 MB."""
    data = simple_docx("Small outside.")
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/bomb.xml", b"<a/>" + b" " * (200 * 1024 * 1024))
    return buffer.getvalue()


def many_paragraphs_docx(count: int = 10_000) -> bytes:
    """The paragraphs python-docx's add_paragraph would write, each a copy of the first placed
    after the one before: add_paragraph looks through the body each time, which took most of a
    minute for 20,001 on a busy machine."""
    document = docx.Document()
    previous = document.add_paragraph(paragraph_text(0))._p
    for n in range(1, count):
        paragraph = copy.deepcopy(previous)
        paragraph.r_lst[0].t_lst[0].text = paragraph_text(n)
        previous.addnext(paragraph)
        previous = paragraph
    return _save(document)


def paragraph_text(n: int) -> str:
    return f"Paragraph {n} of a very long document with some words."


def entity_docx() -> bytes:
    return edited_docx(
        "Entities.",
        "word/document.xml",
        "<w:document",
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><w:document',
        count=1,
    )


def password_protected_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE container holding the
    encrypted package and its EncryptionInfo stream (the header and stream name are enough)."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 512
    )


def old_word_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024


def odt_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def exported_into_an_empty_plan(demo):
    """``demo``'s Word export, and the preview of that file imported by one of its consortium's
    editors into an empty plan of the same form: (the empty plan, the file, the preview)."""
    editor = UserFactory(consortium=demo.consortium)
    data = plan_docx(plan=demo, user=editor)
    empty = services.plan_create(
        consortium=demo.consortium, template=demo.template, period="2008/09", title="Empty"
    )
    preview = word_import.word_import_preview(
        plan=empty, user=editor, filename="export.docx", data=data
    )
    return empty, data, preview
