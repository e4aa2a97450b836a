from functools import cache

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ..finance import format_money
from ..headings import renumbered
from ..round_selectors import milestones

register = template.Library()


@register.filter
def cell(row: dict, key: str) -> str:
    return row.get(key, "")


#: The column types whose cells are figures: one figure is never broken over two lines, as a
#: negative amount's minus sign otherwise may be, leaving "£14,749.25" on the line below it.
FIGURE_TYPES = frozenset({"money", "percent", "whole"})


@register.filter
def typed(table_cell, columns) -> str:
    """A stored table cell as printed under its column's type ("£12,000", "Yes"), its text on
    the lines it was written on: ``columns`` as the table's kind presents them
    (``figures.columns``: a money column with pence in any cell shows them in every cell,
    docs/decisions/0493)."""
    from plans.kinds.table import shown_cell

    column = next((c for c in columns if c["key"] == table_cell.key), {})
    shown = shown_cell(table_cell.value, column)
    if shown and (column.get("type") in FIGURE_TYPES or column.get("formula")):
        return format_html('<span class="app-nowrap">{}</span>', shown)
    return linebreaksbr(shown, autoescape=True)


@register.filter
def money(amount) -> str:
    """A stored amount of money as the plan pages write one: "£40,000", "£40,000.50"."""
    return "" if amount is None else format_money(amount)


NONCE_HOLE = "pbc-csp-nonce-hole"


@cache
def _editor_media_markup() -> str:
    """The editor's assets are the same for every response but for the nonce: rendered once."""
    from django_prose_editor.widgets import prose_editor_media

    return str(prose_editor_media(preset="configurable").render(attrs={"nonce": NONCE_HOLE}))


@register.simple_tag(takes_context=True)
def editor_media(context):
    """The rich-text editor's assets, its import map carrying this response's CSP nonce."""
    nonce = conditional_escape(str(context.get("csp_nonce", "")))
    return mark_safe(_editor_media_markup().replace(NONCE_HOLE, nonce))  # noqa: S308 - escaped


@register.simple_tag
def static_url(path: str) -> str:
    from django.templatetags.static import static

    return static(path)


@register.filter(is_safe=True)
def headings_from(html: str, top: int) -> str:
    """Stored (already sanitised) HTML with its headings in order under the page's own."""
    return mark_safe(renumbered(str(html or ""), int(top)))  # noqa: S308 - sanitised when stored


# --- Cached question blocks (plans.fragments, docs/decisions/0420) ---


class CachedFragmentNode(template.Node):
    def __init__(self, key, nodelist, html=None):
        self.key = key
        self.nodelist = nodelist
        self.html = html

    def render(self, context):
        from django.core.cache import cache

        from plans.fragments import CSRF_HOLE, CSRF_TOKEN_HOLE, FRAGMENT_SECONDS

        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        html = self.html.resolve(context) if self.html is not None else None
        if html is None:
            html = cache.get(key)
        if html is None:
            # Django's own {% csrf_token %} inside leaves a hole too, never this reader's token.
            with context.push(csrf_hole=True, csrf_token=CSRF_TOKEN_HOLE):
                html = str(self.nodelist.render(context))
            cache.set(key, html, FRAGMENT_SECONDS)
        if context.get("csrf_hole"):
            return mark_safe(html)  # noqa: S308 - inside a block being cached: holes stay holes
        # Nothing a person wrote can make a hole: an answer's HTML is sanitised (no HTML
        # comments survive) and a comment's text is escaped, so only the holes are filled.
        filled = html.replace(CSRF_HOLE, csrf_input(context))
        if CSRF_TOKEN_HOLE in filled:
            filled = filled.replace(CSRF_TOKEN_HOLE, conditional_escape(context.get("csrf_token")))
        return mark_safe(filled)  # noqa: S308


@register.tag
def cached_fragment(parser, token):
    """``{% cached_fragment key [html] %}...{% endcached_fragment %}``: the block from the cache
    under ``key`` (plans.fragments.question_key), rendered and kept there when missing; an empty
    key renders it afresh. ``html`` is the block when the page has already read it from the cache
    (plans.fragments.cached_blocks). Inside, ``{% csrf_field %}`` leaves a hole this fills per
    response."""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("cached_fragment takes a key and the html read")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    html = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return CachedFragmentNode(parser.compile_filter(bits[1]), nodelist, html)


def csrf_input(context) -> str:
    from django.template.defaulttags import CsrfTokenNode

    return CsrfTokenNode().render(context)


@register.simple_tag(takes_context=True)
def csrf_field(context):
    """The CSRF input, or inside a cached fragment the hole its response fills."""
    from plans.fragments import CSRF_HOLE

    if context.get("csrf_hole"):
        return mark_safe(CSRF_HOLE)  # noqa: S308 - a constant
    return mark_safe(csrf_input(context))  # noqa: S308 - Django's own input


@register.simple_tag
def round_milestones(planning_round) -> list:
    """The PCT's interim dates still to come in a round (round_selectors.milestones)."""
    return milestones(planning_round) if planning_round is not None else []
