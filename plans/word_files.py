"""Reading an uploaded Word file safely: what is refused, and the document as blocks of HTML.

A .docx is a zip of XML parts. Everything is checked before mammoth reads it: the name and the
first bytes (old .doc, .odt, password-protected files, which are OLE containers), the zip's
directory (entry count, uncompressed size, compression ratio: zip bombs), macros, DTDs in the
XML (entity expansion) and relationships to anything outside the file (linked images,
templates, objects), which are never fetched: the file is refused and says which link.
Hyperlinks are kept as links. See docs/decisions/0411-word-files-refused-before-reading.md.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass, field
from xml.parsers.expat import ExpatError

import mammoth
from lxml import etree
from lxml import html as lxml_html

from .sanitise import clean_html

MB = 1024 * 1024
MAX_WORD_BYTES = 5 * MB  # the default upload cap of docs/decisions/0344
MAX_WORD_LABEL = "5 MB"
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 60 * MB
MAX_RATIO = 200  # XML compresses 10-30 times; a bomb thousands of times
MAX_BLOCKS = 20_000
# The document's own text: a long plan is a few megabytes of XML at most.
MAX_DOCUMENT_XML_BYTES = 20 * MB
# Reading and matching stop with a refusal after this many seconds of work. The paragraph and
# size caps, checked before mammoth starts, are what bound its work; the time limit catches
# the rest (a loaded machine reads 10,000 paragraphs in about ten seconds).
TIME_LIMIT_SECONDS = 45
PARAGRAPH = re.compile(rb"<w:p[ >]")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARKER = "EncryptionInfo".encode("utf-16-le")
ODT_MIME = b"application/vnd.oasis.opendocument"
MACRO_TYPES = ("macroEnabled", "vbaProject", "vbaData")
EXTERNAL_TARGET = re.compile(rb"<Relationship\b[^>]*TargetMode=\"External\"[^>]*>", re.S)
RELATIONSHIP_TYPE = re.compile(rb"Type=\"([^\"]*)\"")
RELATIONSHIP_TARGET = re.compile(rb"Target=\"([^\"]*)\"")
DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)

# The exported .docx prints the form's own words (guidance, prompts, who completes each
# question, computed figures) in these styles, so importing it again leaves them out. The
# figures' tables are kept, marked, so the preview can say they are not imported.
FORM_TEXT_STYLE = "PBC Form Text"
FIGURES_STYLE = "PBC Figures"
# A figures table's caption: Word's Caption style under a name the import leaves out.
FORM_CAPTION_STYLE = "PBC Form Caption"
FIGURES_TABLE_STYLE = "PBC Figures Table"
FIGURES_CLASS = "pbc-figures"
# The first item of a list written straight after another list: Word, and so mammoth, would run
# the two together as one list; this style starts a new one, as the answer has.
LIST_START_STYLES = {"ul": "PBC List Bullet Start", "ol": "PBC List Number Start"}
STYLE_MAP = "\n".join(
    [
        f"p[style-name='{FORM_TEXT_STYLE}'] => !",
        f"p[style-name='{FIGURES_STYLE}'] => !",
        f"p[style-name='{FORM_CAPTION_STYLE}'] => !",
        *(
            f"p[style-name='{style}'] => {tag}:fresh > li:fresh"
            for tag, style in LIST_START_STYLES.items()
        ),
        f"table[style-name='{FIGURES_TABLE_STYLE}'] => table.{FIGURES_CLASS}:fresh",
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => h2:fresh",
        # Kept, as the answers keep them (plans/sanitise.py): mammoth drops underlining and
        # reads a quotation as a plain paragraph unless told.
        "u => u",
        "p[style-name='Quote'] => blockquote > p:fresh",
        "p[style-name='Intense Quote'] => blockquote > p:fresh",
    ]
)


# What mammoth and the XML parsers under it raise for a damaged document.
READ_ERRORS = (
    ExpatError,
    etree.LxmlError,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
    RecursionError,
    UnicodeError,
    EOFError,
)
logger = logging.getLogger(__name__)


class WordRefused(Exception):
    """The file cannot be read; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Deadline:
    def __init__(self, seconds: float = TIME_LIMIT_SECONDS):
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise WordRefused(
                "This document took too long to read. Split it into smaller documents, or "
                "remove pictures and very long tables, and upload it again."
            )


def refuse_by_name(name: str) -> None:
    lowered = (name or "").lower()
    if lowered.endswith(".doc"):
        raise WordRefused(
            "This is an old Word document (.doc), which cannot be read here. Open it in Word, "
            "choose File > Save As > Word Document (.docx), and upload the .docx."
        )
    if lowered.endswith((".odt", ".ott", ".fodt")):
        raise WordRefused(
            "This is an OpenDocument text file (.odt), which cannot be read here. Open it in "
            "LibreOffice or Word and save it as a Word Document (.docx), then upload that."
        )
    if lowered.endswith((".docm", ".dotm")):
        raise WordRefused(
            "This Word file can hold macros (.docm), which are not accepted. Save it as a Word "
            "Document (.docx), which holds no macros, and upload that."
        )
    if not lowered.endswith((".docx", ".dotx")):
        raise WordRefused("Choose a Word document (.docx).")


def _check_container(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_WORD_BYTES:
        raise WordRefused(f"The file must be smaller than {MAX_WORD_LABEL}.")
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARKER in data:
            raise WordRefused(
                "This document is protected with a password, so it cannot be read. Open it in "
                "Word, remove the password (File > Info > Protect Document), save it and "
                "upload it again."
            )
        raise WordRefused(
            "This is an old Word document (.doc) under a .docx name. Open it in Word, choose "
            "File > Save As > Word Document (.docx), and upload the .docx."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise WordRefused(
            "This file is damaged or is not a Word document, so it cannot be read. Open it in "
            "Word, save it again as a Word Document (.docx), and upload that."
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise WordRefused("This file holds far more parts than any Word document; it was not read.")
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (entry.file_size > MB and ratio > MAX_RATIO):
            raise WordRefused(
                "This file expands to far more than any Word document (it may be a 'zip "
                "bomb'); it was not read."
            )
    return archive


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        return b""
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError):
        raise WordRefused(
            "This file is damaged, so it cannot be read. Open it in Word, save it again as a "
            "Word Document (.docx), and upload that."
        ) from None


def _size(archive: zipfile.ZipFile, name: str) -> int:
    try:
        return archive.getinfo(name).file_size
    except KeyError:
        return 0


def check_docx(data: bytes) -> zipfile.ZipFile:
    """The file as a zip that is safe to hand to mammoth, or ``WordRefused`` saying why not."""
    archive = _check_container(data)
    names = set(archive.namelist())
    content_types = _read(archive, "[Content_Types].xml")
    if _read(archive, "mimetype").startswith(ODT_MIME):
        raise WordRefused(
            "This is an OpenDocument text file (.odt) under a .docx name. Open it in LibreOffice "
            "or Word, save it as a Word Document (.docx), and upload that."
        )
    if not content_types or "word/document.xml" not in names:
        raise WordRefused(
            "This file is not a Word document, so it cannot be read. Save it from Word as a "
            "Word Document (.docx) and upload that."
        )
    if any(marker.encode() in content_types for marker in MACRO_TYPES) or any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        raise WordRefused(
            "This Word file contains macros, which are not accepted. Save it as a Word "
            "Document (.docx), which holds no macros, and upload that."
        )
    document = (
        _read(archive, "word/document.xml")
        if _size(archive, "word/document.xml") <= (MAX_DOCUMENT_XML_BYTES)
        else None
    )
    if document is None:
        raise WordRefused(
            "This document holds far more text than a plan; split it and upload the parts one "
            "at a time."
        )
    paragraphs = len(PARAGRAPH.findall(document))
    if paragraphs > MAX_BLOCKS:
        raise WordRefused(
            f"This document has {paragraphs:,} paragraphs, more than the {MAX_BLOCKS:,} a plan "
            "can have; split it and upload the parts one at a time."
        )
    for name in names:
        if not name.endswith((".xml", ".rels")):
            continue
        part = _read(archive, name)
        if DTD.search(part[:4096]) or DTD.search(part):
            raise WordRefused(
                f"This file's part {name} declares its own XML entities, which no Word document "
                "needs; it was not read."
            )
        if name.endswith(".rels"):
            for relationship in EXTERNAL_TARGET.findall(part):
                kind = RELATIONSHIP_TYPE.search(relationship)
                if kind and kind.group(1).endswith(b"/hyperlink"):
                    continue  # a link the reader may follow; kept as a link, never fetched
                target = RELATIONSHIP_TARGET.search(relationship)
                shown = target.group(1).decode("utf-8", "replace")[:200] if target else ""
                raise WordRefused(
                    f"This document links to something outside itself ({shown}), such as a "
                    "linked picture or template. Nothing outside the file is fetched: insert the "
                    "picture into the document or remove the link, save, and upload it again."
                )
    return archive


@dataclass
class Block:
    """One paragraph, heading, list or table of the document, in reading order."""

    kind: str  # heading | text | table
    text: str
    html: str = ""
    rows: list[list[str]] = field(default_factory=list)
    position: int = 0
    #: for an item of a list: the list's tag and which list, so items join up again
    list_tag: str = ""
    list_id: int = 0
    #: a table of figures the export worked out from the plan's entries
    figures: bool = False


# A link's underlining, written on its run (by this service's export, and by people underlining
# a link by hand), is how Word shows a link, not underlining of the answer's own.
_LINK_UNDERLINE = re.compile(r"(<a\b[^>]*>)<u>((?:(?!</?u>).)*)</u>(</a>)", re.DOTALL)


def docx_html(data: bytes, *, deadline: Deadline) -> str:
    check_docx(data)
    deadline.check()
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {}),
        )
    except READ_ERRORS as error:
        # A file can be damaged in any of its parts; mammoth reports it in the exception of
        # whichever parser met it. Logged, and told to the editor in words.
        logger.info("Word file not readable: %s: %s", type(error).__name__, error)
        raise WordRefused(
            "This file is damaged, so it cannot be read. Open it in Word, save it again as a "
            "Word Document (.docx), and upload that."
        ) from error
    deadline.check()
    return _LINK_UNDERLINE.sub(r"\1\2\3", result.value)


def written_here(data: bytes) -> bool:
    """Whether the file is this service's own Word export (or that export edited in Word): only
    the export defines the form-text style, and it writes the form's parts and questions as Word
    Heading 1 and 2, so everything else in it is answer text."""
    styles = _read(zipfile.ZipFile(io.BytesIO(data)), "word/styles.xml")
    return f'w:val="{FORM_TEXT_STYLE}"'.encode() in styles


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def _cell_rows(table) -> list[list]:
    rows = []
    for row in table.iterchildren():
        if row.tag in ("thead", "tbody", "tfoot"):
            rows.extend(_cell_rows(row))
        elif row.tag == "tr":
            rows.append([cell for cell in row.iterchildren() if cell.tag in ("td", "th")])
    return rows


def _is_layout(cells: list[list], is_heading, columns_named) -> bool:
    """A table used to lay out the form (a question in one cell, its answer in the next)
    rather than to hold rows of data (whose first row names a table question's columns).

    ``columns_named(row)`` says how many cells of a row name columns of one table question."""
    texts = [[text_of(cell) for cell in row] for row in cells]
    header = [cell for cell in texts[0] if cell] if texts else []
    named = columns_named(header) if header else 0
    if named >= 2 and named == len(header):
        # "Name | Discipline": every heading is a column of a table question, though "Name" is
        # also a question's title. A label beside its answer never is.
        return False
    if texts and all(len(row) == 2 for row in texts):
        labels = [row[0] for row in texts if row[0]]
        if not any(row[1] for row in texts):
            return True  # labels with blanks to fill in: "Name:", "Date:", "SIGNATURE:"
        if labels and sum(1 for label in labels if is_heading(label)) * 2 >= len(labels):
            return True  # a label beside its answer: "Name | DacCom PbC Limited"
    if named and named * 2 >= len(header):
        return False
    for row, row_texts in zip(cells, texts, strict=True):
        # A heading or a long answer beside its label, or alone on its row, lays out the form;
        # a row of more than two filled cells is a row of data, though one cell reads like a
        # question's title ("Develop a PBC patient and public involvement strategy" between an
        # outcome's number and its weighting) or runs long.
        beside_its_label = len([words for words in row_texts if words]) <= 2
        for cell, words in zip(row, row_texts, strict=True):
            if cell.find(".//table") is not None or cell.find(".//h1") is not None:
                return True
            if beside_its_label and (len(words) > 300 or is_heading(words)):
                return True
    return False


def blocks_of(markup: str, *, is_heading, columns_named, deadline: Deadline) -> list[Block]:
    """The document's blocks; tables that lay out the form are read cell by cell."""
    if not markup.strip():
        return []
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    blocks: list[Block] = []

    def visit(element) -> None:
        if len(blocks) > MAX_BLOCKS:
            raise WordRefused(
                f"This document has more than {MAX_BLOCKS:,} paragraphs, far more than a plan; "
                "split it and upload the parts one at a time."
            )
        if len(blocks) % 500 == 0:
            deadline.check()
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            cells = _cell_rows(element)
            figures = FIGURES_CLASS in (element.get("class") or "").split()
            if not figures and _is_layout(cells, is_heading, columns_named):
                for row in cells:
                    for cell in row:
                        for child in cell.iterchildren():
                            visit(child)
                return
            rows = [[text_of(cell) for cell in row] for row in cells]
            rows = [row for row in rows if any(row)]
            if rows:
                blocks.append(
                    Block(
                        "table",
                        " | ".join(rows[0]),
                        rows=rows,
                        position=len(blocks) + 1,
                        figures=figures,
                    )
                )
            return
        if tag in ("ul", "ol"):
            list_id = id(element)
            for item in element.iterchildren():
                words = text_of(item)
                if item.tag != "li" or not words:
                    continue
                markup = etree.tostring(item, encoding="unicode", method="html", with_tail=False)
                blocks.append(
                    Block(
                        "item",
                        words,
                        clean_html(f"<{tag}>{markup}</{tag}>")[4:-5],
                        position=len(blocks) + 1,
                        list_tag=tag,
                        list_id=list_id,
                    )
                )
            return
        words = text_of(element)
        if not words:
            return
        markup = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            blocks.append(Block("heading", words, markup, position=len(blocks) + 1))
        else:
            blocks.append(Block("text", words, clean_html(markup), position=len(blocks) + 1))

    for child in root.iterchildren():
        visit(child)
    return blocks
