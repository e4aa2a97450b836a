import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def cell(row: dict, key: str) -> str:
    return row.get(key, "")


@register.filter
def typed(table_cell, question) -> str:
    """A stored table cell as printed under its column's type ("£12,000", "Yes")."""
    from plans.kinds.table import shown_cell

    column = next((c for c in question.columns if c["key"] == table_cell.key), {})
    return shown_cell(table_cell.value, column)


@register.simple_tag(takes_context=True)
def editor_media(context):
    """The rich-text editor's assets, its import map carrying this response's CSP nonce."""
    from django_prose_editor.widgets import prose_editor_media

    return prose_editor_media(preset="configurable").render(
        attrs={"nonce": str(context.get("csp_nonce", ""))}
    )


@register.simple_tag
def static_url(path: str) -> str:
    from django.templatetags.static import static

    return static(path)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)


@register.filter(is_safe=True)
def headings_from(html: str, top: int) -> str:
    """Stored (already sanitised) HTML with its headings renumbered to start at ``top`` and
    skip no level, so guidance written with h4s sits under the page's h1 as h2s."""
    html = str(html or "")
    levels = sorted({int(level) for _, level in _HEADING_TAG.findall(html)})
    if not levels:
        return mark_safe(html)  # noqa: S308 - sanitised when stored, only headings rewritten
    renumbered = {level: min(int(top) + rank, 6) for rank, level in enumerate(levels)}

    def renumber(match: re.Match) -> str:
        return f"<{match.group(1)}h{renumbered[int(match.group(2))]}"

    return mark_safe(_HEADING_TAG.sub(renumber, html))  # noqa: S308 - as above
