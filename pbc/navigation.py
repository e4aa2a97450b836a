"""The header's menu: each app adds its entries; the context processor marks the current one."""

from collections.abc import Callable

from django.http import HttpRequest

NavigationItem = dict[str, str | bool]
_providers: list[Callable[[HttpRequest], list[NavigationItem]]] = []


def register(provider: Callable[[HttpRequest], list[NavigationItem]]):
    _providers.append(provider)
    return provider


def items_for(request: HttpRequest) -> list[NavigationItem]:
    items: list[NavigationItem] = [{"text": "Home", "href": "/"}]
    for provider in _providers:
        items.extend(provider(request))
    for item in items:
        href = str(item["href"])
        item["current"] = request.path == href or (href != "/" and request.path.startswith(href))
    return items
