from django import template
from django.utils.safestring import mark_safe

from ..headings import renumbered

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


@register.filter(is_safe=True)
def headings_from(html: str, top: int) -> str:
    """Stored (already sanitised) HTML with its headings in order under the page's own."""
    return mark_safe(renumbered(str(html or ""), int(top)))  # noqa: S308 - sanitised when stored
