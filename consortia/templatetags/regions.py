"""A wide table's own scrolling region, so that at 320 px the table scrolls, not the page
(WCAG 1.4.10, reflow): focusable, for keyboard scrolling, and named by the table's caption."""

import itertools

from django import template
from django.utils.html import format_html

register = template.Library()

_region_numbers = itertools.count(1)


class ScrollRegion(template.Node):
    def __init__(self, id_parts, nodelist):
        self.id_parts = id_parts
        self.nodelist = nodelist

    def render(self, context) -> str:
        caption_id = "".join(str(part.resolve(context)) for part in self.id_parts)
        if not caption_id:  # a table that fits any screen, such as a responsive one
            return self.nodelist.render(context)
        return format_html(
            '<div class="app-table-scroll" role="region" aria-labelledby="{}" tabindex="0">{}'
            "</div>",
            caption_id,
            self.nodelist.render(context),
        )


@register.tag
def scroll_region(parser, token):
    """{% scroll_region "table-" question.key "-caption" %}<table>…</table>{% endscroll_region %}:
    the caption's id, written out from its parts. An empty id leaves the table as it is."""
    id_parts = token.split_contents()[1:]
    if not id_parts:
        raise template.TemplateSyntaxError("scroll_region needs the id of the table's caption")
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegion([parser.compile_filter(part) for part in id_parts], nodelist)


@register.simple_tag
def region_id(prefix: str) -> str:
    """{% region_id "diff-rows-" as caption_id %}: an id no other region on the page has, for a
    template included more than once on a page (a diff under each question)."""
    return f"{prefix}{next(_region_numbers)}"
