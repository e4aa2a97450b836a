"""The worked-out figures in a drawn question block, by name, for a page to put in place.

A template marks each region it works out, and holds no input in, with ``data-figure="name"``
(a total, a summary table, a row's worked-out cell). After an in-page save the server draws
the blocks the page shows again from the answers as saved and sends these regions' markup;
the page's script (static/js/answers.mjs) replaces only them, so no input, and nothing typed
in one, is touched (docs/decisions/0484).
"""

from html.parser import HTMLParser

#: the attribute naming a worked-out region
FIGURE_ATTRIBUTE = "data-figure"


class _Figures(HTMLParser):
    """Where each marked element's contents begin and end in the markup, by character."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=False)
        self.markup = markup
        # HTMLParser counts lines by "\n" alone; str.splitlines would also break at a line
        # separator typed in an answer and put every later offset out.
        self.line_starts = [0]
        for line in markup.split("\n")[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        # each open marked element: its name, its tag, how deep in its own tag, where it began
        self.open: list[list] = []
        self.found: dict[str, str] = {}

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        for item in self.open:
            if item[1] == tag:
                item[2] += 1
        name = dict(attrs).get(FIGURE_ATTRIBUTE)
        if name:
            start = self._offset() + len(self.get_starttag_text() or "")
            self.open.append([name, tag, 1, start])

    def handle_endtag(self, tag):
        end = self._offset()
        for item in list(self.open):
            if item[1] != tag:
                continue
            item[2] -= 1
            if item[2] == 0:
                self.open.remove(item)
                self.found[item[0]] = self.markup[item[3] : end]


def figures_in(markup: str) -> dict[str, str]:
    """The contents of every ``data-figure`` element in ``markup``, by its name."""
    parser = _Figures(markup)
    parser.feed(markup)
    parser.close()
    return parser.found
