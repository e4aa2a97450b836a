"""Stored answer HTML written into a Word document with python-docx: paragraphs, headings,
bold/italic/underline, links, bullet and numbered lists (nested), block quotes and tables.

Only the elements the answer allowlist keeps (plans/sanitise.py) and those the kinds' read-only
templates draw (tables with their captions, summary lists) are written; anything else is read
for its text (docs/decisions/0482-word-export-summary-lists-and-table-captions.md).
"""

from __future__ import annotations

from copy import deepcopy

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import html as lxml_html

from .word_files import (
    FIGURES_STYLE,
    FIGURES_TABLE_STYLE,
    FORM_CAPTION_STYLE,
    FORM_TEXT_STYLE,
    LIST_START_STYLES,
)

# Answer headings sit below the form's own (Heading 1 parts, Heading 2 questions), so a
# document read back finds the form's headings and keeps the answer's as the answer's.
ANSWER_HEADINGS = {"h1": "Heading 4", "h2": "Heading 4", "h3": "Heading 5", "h4": "Heading 6"}
ANSWER_TABLE_STYLE = "Table Grid"
LIST_STYLES = {"ul": "List Bullet", "ol": "List Number"}
INLINE = {"strong", "b", "em", "i", "u", "a", "span", "br", "sup", "sub", "code"}
MAX_LIST_DEPTH = 3
TABLE_TEXT = Pt(9)
#: A longer word (a pasted address) breaks wherever its line ends, in the Word export and in the
#: PDF (signoff/pdf.py): counted as its first letters, it leaves the other columns room.
LONG_WORD = 24
#: NHS documents are printed on A4; a landscape section's side margins are the PDF's.
A4_WIDTH, A4_HEIGHT = Mm(210), Mm(297)
LANDSCAPE_MARGIN = Mm(18)
#: a cell's margins (Table Grid's 0.075 inch each side), its borders and a little slack
CELL_MARGINS = Pt(14)
LONG_TEXT = 60
#: Letters' widths in ems in the widest font a table's text may be set in: LibreOffice sets
#: Word's Calibri in DejaVu Sans where Calibri is missing, and a header is bold. Counting
#: every letter alike left "OK" too narrow, written as "O" over "K".
NARROW_LETTERS, WIDE_LETTERS = frozenset("ijlftrI.,:;'!|()[]/-"), frozenset("mwMW@%")


def _letter_ems(letter: str) -> float:
    if letter in NARROW_LETTERS:
        return 0.4
    if letter in WIDE_LETTERS:
        return 1.05
    if letter.isupper():
        return 0.8
    if letter.isdigit():
        return 0.7
    return 0.68


def word_width(word: str) -> int:
    """The room ``word`` takes in a table cell at the table's size, margins included, in
    EMU: at least what Word and LibreOffice set it in, so it is never broken mid-way."""
    room = Pt(sum(_letter_ems(letter) for letter in word) * TABLE_TEXT.pt) + CELL_MARGINS
    return Twips(-(-room // Twips(1)))  # in whole twips, as Word keeps widths, rounded up


def part_heading(part) -> str:
    """A part's Heading 1 as the export writes it and the import looks for it: "2-5. Background",
    "Appendix 1 PBC Funding Arrangements 07/08"."""
    if part.number and part.number[0].isdigit():
        return f"{part.number}. {part.title}"
    return f"{part.number} {part.title}".strip()


def question_heading(question) -> str:
    """A question's Heading 2 as the export writes it and the import looks for it."""
    return f"{question.number} {question.title}".strip()


def ensure_styles(document) -> None:
    """The form-text, figures and caption styles the import recognises and leaves out."""
    styles = document.styles
    names = {style.name for style in styles}
    if FORM_TEXT_STYLE not in names:
        style = styles.add_style(FORM_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.color.rgb = RGBColor(0x42, 0x54, 0x62)
        style.font.size = Pt(10)
    if FIGURES_STYLE not in names:
        style = styles.add_style(FIGURES_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.bold = True
    if FORM_CAPTION_STYLE not in names:
        style = styles.add_style(FORM_CAPTION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Caption"]
    if FIGURES_TABLE_STYLE not in names:
        style = styles.add_style(FIGURES_TABLE_STYLE, WD_STYLE_TYPE.TABLE)
        style.base_style = styles[ANSWER_TABLE_STYLE]
    for tag, name in LIST_START_STYLES.items():
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[LIST_STYLES[tag]]


def add_hyperlink(paragraph, url: str, text: str):
    part = paragraph.part
    relationship = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)
    return link


def add_caption(container, title: str, *, style: str = FORM_CAPTION_STYLE):
    """A table's caption as Word writes one: a paragraph in a Caption style, kept on the same
    page as the table added under it."""
    paragraph = container.add_paragraph(style=style)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(title)
    return paragraph


def set_title(table, title: str) -> None:
    """The table's title (Word's Alt Text title), which screen readers announce with it."""
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), title)
    table._tbl.tblPr.append(element)


def _add_level(part, number_id: str, level: int) -> None:
    """Word's default list definitions have one level; a nested item needs its own."""
    numbering = part.numbering_part.element
    num = next(
        (n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == number_id), None
    )
    if num is None:
        return
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.iterchildren(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    levels = {lvl.get(qn("w:ilvl")): lvl for lvl in abstract.iterchildren(qn("w:lvl"))}
    if str(level) in levels or "0" not in levels:
        return
    copy = deepcopy(levels["0"])
    copy.set(qn("w:ilvl"), str(level))
    for style in copy.findall(qn("w:pStyle")):  # the style names level 0 only
        copy.remove(style)
    indent = copy.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if indent is not None:
        indent.set(qn("w:left"), str(360 * (level + 1)))
    max(levels.values(), key=lambda lvl: int(lvl.get(qn("w:ilvl")))).addnext(copy)


def _nest(paragraph, style: str, depth: int) -> None:
    """Put a list item at ``depth`` of its style's list, as Word's "Increase indent" does."""
    numbering = paragraph.part.document.styles[style].element.find(qn("w:pPr"))
    numbering = numbering.find(qn("w:numPr")) if numbering is not None else None
    number_id = numbering.find(qn("w:numId")) if numbering is not None else None
    if number_id is None:
        return
    _add_level(paragraph.part, number_id.get(qn("w:val")), depth - 1)
    properties = paragraph._p.get_or_add_pPr()
    numbered = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), str(depth - 1))
    numbered.append(level)
    which = OxmlElement("w:numId")
    which.set(qn("w:val"), number_id.get(qn("w:val")))
    numbered.append(which)
    properties.append(numbered)
    paragraph.paragraph_format.left_indent = Pt(18 * depth)


class HtmlWriter:
    """Writes HTML into a python-docx container (the document, or a table cell)."""

    def __init__(
        self, container, *, table_style: str = ANSWER_TABLE_STYLE, paragraph_style: str = ""
    ):
        self.container = container
        self.table_style = table_style
        # The form's own words and computed figures: every paragraph in one style (which the
        # import leaves out), lists drawn with their bullets as text.
        self.paragraph_style = paragraph_style
        self.paragraphs: list = []  # every paragraph written, so a comment can find its passage
        names = {style.name for style in container.part.document.styles}
        self.list_starts = {t: s for t, s in LIST_START_STYLES.items() if s in names}
        self._after_list = False

    def _add_paragraph(self, style: str | None = None):
        self._after_list = False
        paragraph = self.container.add_paragraph(style=self.paragraph_style or style or None)
        self.paragraphs.append(paragraph)
        return paragraph

    def write(self, markup: str) -> None:
        if not (markup or "").strip():
            return
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
        self._blocks(root, list_style="", depth=0)

    # blocks
    def _blocks(self, element, *, list_style: str, depth: int, into=None) -> None:
        """Writes ``element``'s children; text before its first block goes on in ``into``."""
        loose = []
        if element.text and element.text.strip():
            loose.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in INLINE or not tag:
                loose.append(child)
                continue
            self._loose(loose, into)
            loose, into = [], None
            self._block(child, list_style=list_style, depth=depth)
            if child.tail and child.tail.strip():
                loose.append(child.tail)
        self._loose(loose, into)

    def _loose(self, items, paragraph=None) -> None:
        if not items:
            return
        # Text carried on after a summary list's label is the value's, never bold by the style.
        format_ = {} if paragraph is None else {"bold": False}
        paragraph = paragraph or self._add_paragraph()
        for item in items:
            if isinstance(item, str):
                self._run(paragraph, item, format_)
            else:
                self._inline(paragraph, item, format_)
                if item.tail:
                    self._run(paragraph, item.tail, format_)

    def _block(self, element, *, list_style: str, depth: int) -> None:
        tag = element.tag
        if tag == "p":
            self._paragraph(element, style=None)
        elif tag in ANSWER_HEADINGS:
            self._paragraph(element, style=ANSWER_HEADINGS[tag])
        elif tag in ("ul", "ol"):
            style = LIST_STYLES[tag]
            start = self.list_starts.get(tag) if self._after_list and depth == 0 else None
            items = [item for item in element if getattr(item, "tag", "") == "li"]
            for number, item in enumerate(items, start=1):
                marker = f"{number}. " if tag == "ol" else "\u2022 "
                self._list_item(
                    item,
                    style=style,
                    depth=min(depth + 1, MAX_LIST_DEPTH),
                    marker=marker,
                    paragraph_style=start if number == 1 else None,
                )
            self._after_list = depth == 0 and not self.paragraph_style
        elif tag == "blockquote":
            for child in element:
                self._paragraph(child, style="Quote") if child.tag == "p" else self._block(
                    child, list_style=list_style, depth=depth
                )
            if element.text and element.text.strip():
                self._paragraph(element, style="Quote")
        elif tag == "table":
            self._table(element)
        elif tag == "dl":
            self._summary_list(element, list_style=list_style, depth=depth)
        else:
            self._blocks(element, list_style=list_style, depth=depth)

    def _summary_list(self, element, *, list_style: str, depth: int) -> None:
        """An NHS.UK summary list (each dt and dd pair wrapped in a row's div) as "Label: value"
        paragraphs, the label bold, so label and value stay apart as on the page and a screen
        reader reads them as a sentence; a value's lists and paragraphs follow as themselves."""
        terms = [
            item
            for child in element
            for item in (child if child.tag == "div" else [child])
            if item.tag in ("dt", "dd")
        ]
        label = None
        for item in terms:
            if item.tag == "dt":
                label = self._add_paragraph()
                text = " ".join(item.text_content().split()).rstrip(":")
                self._run(label, f"{text}: ", {"bold": True})
                continue
            self._blocks(item, list_style=list_style, depth=depth, into=label)
            if label is not None and len(label.runs) == 1:
                # The value starts with a list or paragraph: keep its label on the same page.
                label.paragraph_format.keep_with_next = True
            label = None

    def _list_item(
        self, item, *, style: str, depth: int, marker: str, paragraph_style: str | None = None
    ) -> None:
        paragraph = self._add_paragraph(style=paragraph_style or style)
        if self.paragraph_style:
            paragraph.paragraph_format.left_indent = Pt(18 * depth)
            self._run(paragraph, marker, {})
        elif depth > 1:
            _nest(paragraph, style, depth)
        nested = []
        if item.text:
            self._run(paragraph, item.text, {})
        for child in item:
            if child.tag in ("ul", "ol"):
                nested.append(child)
                continue
            if child.tag == "p":
                self._inline_children(paragraph, child, {})
            else:
                self._inline(paragraph, child, {})
            if child.tail:
                self._run(paragraph, child.tail, {})
        for child in nested:
            self._block(child, list_style=style, depth=depth)

    def _paragraph(self, element, *, style) -> None:
        paragraph = self._add_paragraph(style=style)
        heading = bool(self.paragraph_style) and element.tag in ANSWER_HEADINGS
        self._inline_children(paragraph, element, {"bold": True} if heading else {})

    def _table(self, element) -> None:
        rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in element.iter("tr")]
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(sum(_span(cell) for cell in row) for row in rows)
        self._after_list = False
        caption = element.find("caption")
        title = " ".join(caption.text_content().split()) if caption is not None else ""
        if title:
            # The form's own tables take the caption style the import leaves out.
            add_caption(
                self.container,
                title,
                style=FORM_CAPTION_STYLE if self.paragraph_style else "Caption",
            )
        table = self.container.add_table(rows=len(rows), cols=width)
        table.style = self.table_style
        if title:
            set_title(table, title)
        figures = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                if _span(cell) == 1 and "numeric" in cell.get("class", ""):
                    figures.add(c)
                # A cell spanning columns is merged across them (Word's gridSpan), so each
                # figure after it stands under its own heading, as on the page.
                span = min(_span(cell), width - c)
                target = table.cell(r, c)
                if span > 1:
                    target = target.merge(table.cell(r, c + span - 1))
                target.text = " ".join(cell.text_content().split())
                if cell.tag == "th":
                    for run in target.paragraphs[0].runs:
                        run.bold = True
                c += span
        if all(cell.tag == "th" for cell in rows[0]) and len(rows) > 1:
            repeat_header(table)
        # Columns the page sets as figures (nhsuk-table__cell--numeric) stand flush right.
        lay_out(table, figures=figures)

    # inline
    def _inline_children(self, paragraph, element, format_: dict) -> None:
        if element.text:
            self._run(paragraph, element.text, format_)
        for child in element:
            self._inline(paragraph, child, format_)
            if child.tail:
                self._run(paragraph, child.tail, format_)

    def _inline(self, paragraph, element, format_: dict) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
            return
        if tag == "a" and element.get("href", "").startswith(("http://", "https://", "mailto:")):
            add_hyperlink(paragraph, element.get("href"), element.text_content())
            return
        inner = dict(format_)
        if tag in ("strong", "b"):
            inner["bold"] = True
        elif tag in ("em", "i"):
            inner["italic"] = True
        elif tag == "u":
            inner["underline"] = True
        self._inline_children(paragraph, element, inner)

    def _run(self, paragraph, text: str, format_: dict) -> None:
        text = " ".join(text.split("\n")) if "\n" in text else text
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = format_.get("bold")
        run.italic = format_.get("italic") or None
        run.underline = format_.get("underline") or None


def repeat_header(table) -> None:
    """Marks the first row as the table's header, so Word prints it again on each page a long
    table runs onto and the columns are still named there."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)


def lay_out(table, *, figures=(), room: int | None = None) -> None:
    """Gives each column room for its longest word, so no word breaks mid-way (Word and
    LibreOffice otherwise split the page into equal columns, and a narrow one breaks "Targets"
    into "Target" and "s"), shares what is left by how much each column holds, and sets the
    columns of figures (``figures``: their indexes) flush right. Every table the export writes
    is laid out so: an answer's, the projects', a kind's figures, the form's own. ``room`` is
    the width of the page it is printed across, the last section's when not given."""
    room = room or text_width(table.part.document.sections[-1])
    count = len(table.columns)
    words, least, texts = _longest_words(table)
    spare = room - sum(least)
    wants = [text - word for text, word in zip(texts, words, strict=True)]
    if spare <= 0:
        widths = [width * room // sum(least) for width in least]
    else:
        shares = wants if sum(wants) else [1] * count
        widths = [
            width + spare * share // sum(shares) for width, share in zip(least, shares, strict=True)
        ]
    # Word keeps widths in whole twips: rounded down, the columns stay within the page.
    widths = [Twips(width // Twips(1)) for width in widths]
    table.autofit = False
    for c, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        column.width = width
        for cell in column.cells:
            cell.width = width
            for paragraph in cell.paragraphs:
                if c in figures:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = TABLE_TEXT


def narrowest(table) -> int:
    """The table's width, in EMU, with each column as narrow as its longest word."""
    return sum(_longest_words(table)[1])


def _longest_words(table) -> tuple[list[int], list[int], list[int]]:
    """Each column's longest word in letters and the room it takes, and its text's length."""
    count = len(table.columns)
    words, least, texts = [1] * count, [word_width("x")] * count, [1] * count
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            if cell.grid_span > 1:
                continue  # a label across columns ("Total for project 1") wraps in their room
            for word in cell.text.split():
                words[c] = max(words[c], len(word))
                least[c] = max(least[c], word_width(word[:LONG_WORD]))
            texts[c] = max(texts[c], min(len(cell.text), LONG_TEXT))
    return words, least, texts


def text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def across_landscape(document, first) -> int:
    """Prints the document from its element ``first`` to its end so far on landscape pages,
    the pages before and after as they were: a section ends before ``first`` and another after
    what follows it, the second turned (docs/decisions/0511). Returns the landscape text
    width."""
    portrait = document.sections[-1]._sectPr
    previous = first.getprevious()
    if previous is not None and _ends_landscape(previous):
        # Straight after another turned answer: one landscape section holds both.
        previous.getparent().remove(previous)
    else:
        first.addprevious(_section_break(deepcopy(portrait)))
    turned = deepcopy(portrait)
    size = turned.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    # The PDF's side margins (static/css/pdf.css): a table that needs the turn needs the room.
    margins = turned.find(qn("w:pgMar"))
    for side in ("w:left", "w:right"):
        margins.set(qn(side), str(LANDSCAPE_MARGIN.twips))
    document.element.body.sectPr.addprevious(_section_break(turned))
    section = document.sections[-2]
    return text_width(section)


def _ends_landscape(element) -> bool:
    size = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}/{qn('w:pgSz')}")
    return size is not None and size.get(qn("w:orient")) == "landscape"


def _section_break(properties) -> OxmlElement:
    """An empty paragraph that ends a section laid out by ``properties`` (a ``w:sectPr``)."""
    paragraph = OxmlElement("w:p")
    paragraph.append(OxmlElement("w:pPr"))
    paragraph[0].append(properties)
    return paragraph


def _span(cell) -> int:
    """How many columns an HTML cell spans (its colspan, 1 when absent or not a number)."""
    value = cell.get("colspan", "1")
    return max(int(value), 1) if value.isdigit() else 1


def write_html(
    container, markup: str, *, table_style: str = ANSWER_TABLE_STYLE, paragraph_style: str = ""
) -> HtmlWriter:
    writer = HtmlWriter(container, table_style=table_style, paragraph_style=paragraph_style)
    writer.write(markup)
    return writer
