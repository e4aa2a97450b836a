"""Whether a printed answer's tables fit across a portrait page (docs/decisions/0511).

A table is at least as wide as the sum of its columns' longest unbreakable words: on a form
with many columns (a monthly profile, a long list of indicators) that is wider than the paper,
and the columns past its edge are not printed at all, in the draft or the sealed PDF. The
words are measured with the PDF's own font (static/fonts, read with fontTools) and the
answer is printed on a landscape page where it needs one; where even that is too narrow, in
smaller type, and where that is still too narrow its words may also break anywhere, so every
column is on the paper.
"""

from enum import StrEnum
from functools import cache
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont
from lxml import html as lxml_html

# The text area of an A4 page with the 18 mm side margins of static/css/pdf.css.
PORTRAIT_MM = 210 - 2 * 18
LANDSCAPE_MM = 297 - 2 * 18
# static/css/pdf.css: a table's text size (and the smaller one of .pdf-small), a cell's right
# padding, a list's indent.
TABLE_POINTS = 9
SMALL_TABLE_POINTS = 7
CELL_PADDING_MM = 2
LIST_INDENT_MM = 6

# The most columns a printed cell may span (signoff.pdf.printable lowers any larger span).
MAX_SPAN = 20

_MM_PER_POINT = 25.4 / 72
_HARD_BREAKS = {
    "br", "p", "li", "ul", "ol", "div", "h2", "h3", "h4", "blockquote", "table", "tr", "td", "th",
}  # fmt: skip
_BOLD = {"th", "strong", "b"}


class Fit(StrEnum):
    """The classes of pdf.css that lay an answer out: as written, across a landscape page, across
    one in smaller type, or that and with its words free to break anywhere."""

    PORTRAIT = ""
    LANDSCAPE = "pdf-landscape"
    SMALL = "pdf-landscape pdf-small"
    SQUEEZED = "pdf-landscape pdf-small pdf-squeezed"


def answer_fit(html: str) -> Fit:
    """How the printed answer ``html`` (signoff.pdf.printable's) is laid out: by its widest
    table, measured at its narrowest (every line broken where it may be)."""
    widest = table_mm(html)
    if widest <= PORTRAIT_MM:
        return Fit.PORTRAIT
    if widest <= LANDSCAPE_MM:
        return Fit.LANDSCAPE
    return Fit.SMALL if table_mm(html, points=SMALL_TABLE_POINTS) <= LANDSCAPE_MM else Fit.SQUEEZED


def table_mm(html: str, *, points: float = TABLE_POINTS) -> float:
    """The width, in millimetres, of the widest table in ``html`` at its narrowest (0 for
    none), its text ``points`` in size."""
    if "<table" not in html:
        return 0.0
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    return max((_narrowest_mm(table, points) for table in root.iter("table")), default=0.0)


def _narrowest_mm(table, points: float) -> float:
    """The sum of the table's columns' narrowest widths; a cell spanning columns shares its
    width between them."""
    columns: list[float] = []
    for row in table.iter("tr"):
        if _table_of(row) is not table:
            continue
        index = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            value = cell.get("colspan") or ""
            span = min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1
            share = (_cell_mm(cell, points) + CELL_PADDING_MM) / span
            for column in range(index, index + span):
                if column == len(columns):
                    columns.append(0.0)
                columns[column] = max(columns[column], share)
            index += span
    return sum(columns)


def _table_of(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _cell_mm(cell, points: float) -> float:
    """The cell's longest unbreakable run of text, with the indent of any list it is in."""
    runs = _Runs(points)
    runs.walk(cell, bold=False, nowrap=False, anywhere=False, depth=0)
    runs.end()
    return runs.widest


class _Runs:
    """Reads a cell's text as the lines of a layout at its narrowest: a run ends at a space
    (not in a figure kept whole), at a line or block, and after each letter of a long word."""

    def __init__(self, points: float):
        self.points = points
        self.widest = self.run = self.indent = 0.0

    def end(self):
        self.widest, self.run = max(self.widest, self.indent + self.run), 0.0

    def walk(self, element, *, bold: bool, nowrap: bool, anywhere: bool, depth: int):
        classes = (element.get("class") or "").split()
        bold = bold or element.tag in _BOLD
        nowrap = nowrap or "app-nowrap" in classes
        anywhere = anywhere or "pdf-long-word" in classes
        depth += element.tag in ("ul", "ol")
        if element.tag in _HARD_BREAKS:
            self.end()
        self.indent = depth * LIST_INDENT_MM
        self.text(element.text, bold=bold, nowrap=nowrap, anywhere=anywhere)
        for child in element:
            self.walk(child, bold=bold, nowrap=nowrap, anywhere=anywhere, depth=depth)
            self.indent = depth * LIST_INDENT_MM
            self.text(child.tail, bold=bold, nowrap=nowrap, anywhere=anywhere)
        if element.tag in _HARD_BREAKS:
            self.end()

    def text(self, value: str | None, *, bold: bool, nowrap: bool, anywhere: bool):
        for character in value or "":
            if character.isspace() and not nowrap:
                self.end()
                continue
            self.run += _advance_mm_per_point(character, bold=bold) * self.points
            if anywhere:
                self.end()


def _advance_mm_per_point(character: str, *, bold: bool) -> float:
    """The character's advance, in millimetres, at a size of one point."""
    advances, units_per_em = _font("Bold" if bold else "Regular")
    # A character the font lacks is drawn from another font: counted an em wide, as wide as
    # the widest of this one's.
    advance = advances.get(ord(character), units_per_em)
    return advance / units_per_em * _MM_PER_POINT


@cache
def _font(weight: str) -> tuple[dict[int, int], int]:
    """Each character's advance in the bundled Liberation Sans, and the font's units per em."""
    path = Path(settings.BASE_DIR) / "static" / "fonts" / f"LiberationSans-{weight}.ttf"
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    advances = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
    return advances, font["head"].unitsPerEm
