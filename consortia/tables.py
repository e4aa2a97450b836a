"""One NHS.UK table for the pages that only show figures, words and links.

A presenter builds a ``Table`` from what its view already read; the template
``components/table.html`` lays it out with the NHS.UK classes. It lives in consortia, the app
every other app may import, so that plans, pbc, monitoring and signoff pages use the same one.
Tables with form controls in their cells, the PDF's tables and the cached fragments keep their
own markup (docs/decisions/0307).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Heading:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Tag:
    """An NHS.UK tag after a cell's text; ``css`` is its colour class, e.g. nhsuk-tag--grey."""

    text: str
    css: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    href: str = ""
    #: said to screen readers after the link's text, to tell apart links with the same words
    hidden_suffix: str = ""
    numeric: bool = False
    #: the row's header (``<th scope="row">``)
    header: bool = False
    tags: Sequence[Tag] = ()
    #: a second, smaller line under the text
    note: str = ""
    #: the text in bold, e.g. a figure that changed
    strong: bool = False
    #: words after the text, outside its link: a plan's year after its linked title
    after: str = ""
    #: lines in bold under the rest, not to be missed: a position no one holds
    warnings: Sequence[str] = ()


@dataclass(frozen=True)
class Table:
    caption: str
    headings: Sequence[Heading]
    rows: Sequence[Sequence[Cell]]
    #: said instead of the table when there are no rows
    empty: str = ""
    caption_hidden: bool = False
    caption_size: Literal["", "s", "m"] = ""
    #: keep the headings when there are no rows, with ``empty`` in a row under them
    empty_as_row: bool = False
    #: a class of this service's own, after nhsuk-table
    css: str = ""
    #: NHS.UK's responsive table: on narrow screens each row stands as a card, each cell
    #: headed by its column's heading (hidden from screen readers, which read the real one)
    responsive: bool = False
    #: a wide table's own scrolling region, so the page does not scroll sideways at 320 px
    #: (templatetags/regions.py): the id its caption takes, which names the region
    scroll_id: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[Heading, Cell]]]:
        """Each row's cells beside their column's heading, for a responsive table to repeat."""
        return [list(zip(self.headings, row, strict=True)) for row in self.rows]
