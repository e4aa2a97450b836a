"""Posting hostile input and judging what came back: the tally of the fuzz test.

A post may be refused (400, 403, 404, 409, 413, 429) or accepted; it may never answer 5xx.
What was stored must be within the project's allowlist (plans.sanitise), and the pages that
show it must still render, with no markup the page would not have had without it.
"""

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote_plus

import django
import lxml.html
from django.apps import apps
from django.conf import settings
from django.test import Client

from consortia.plain_forms import SURROGATES
from plans.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html

from .payloads import Payload

# Markup a page may carry in what users typed (plans.sanitise; nh3 adds rel to links).
ALLOWED_MARKUP = {(tag, "") for tag in ALLOWED_TAGS} | {
    (tag, name) for tag, names in ALLOWED_ATTRIBUTES.items() for name in [*names, "rel"]
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
# What a browser skips inside a URL before reading its scheme: controls and spaces.
UNREAD_IN_URLS = dict.fromkeys(range(ord(" ") + 1))


TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(r"""(?:^|\s)([a-zA-Z_:][-\w:.]*)(?=[\s=/]|$)""")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\{[{%].*?[%}]\}")


@cache
def product_markup() -> frozenset[tuple[str, str]]:
    """Every (tag, attribute) the product's own templates and code can write: a rendered page
    holding anything else got it from what a user typed."""
    project = Path(settings.BASE_DIR)
    roots = [Path(django.__file__).parent / "forms" / "templates"]
    roots += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    roots += [path for path in project.iterdir() if path.is_dir() and path.name[0] not in "._"]
    found = set()
    for root in roots:
        if root.name in ("tests", "static", "node_modules", "staticfiles"):
            continue
        for path in [*root.rglob("*.html"), *root.rglob("*.py")]:
            for tag, attributes in TAG.findall(path.read_text(errors="replace")):
                tag = tag.lower()
                found.add((tag, ""))
                found.update(
                    (tag, name.lower()) for name in ATTRIBUTE.findall(QUOTED.sub(" ", attributes))
                )
    return frozenset(found)


def form_body(fields: list[tuple[str, str]]) -> bytes:
    """Form data as a browser would send it; a lone surrogate goes as the bytes UTF-8 would
    give it (not valid UTF-8), which is what a hostile client can send. (What urlencode gives,
    each distinct name and value quoted once: a 100 KB payload goes to many fields.)"""
    return "&".join(f"{_quoted(str(name))}={_quoted(str(value))}" for name, value in fields).encode(
        "ascii"
    )


@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    return quote_plus(text, encoding="utf-8", errors="surrogatepass")


def raw(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


def elements(page: bytes) -> list:
    """The page's elements (not its comments or processing instructions), parsed once for
    markup_of and script_urls."""
    return [
        element
        for element in lxml.html.document_fromstring(page).iter()
        if isinstance(element.tag, str)
    ]


def markup_of(page: list) -> set[tuple[str, str]]:
    """Every (tag, attribute) a page's elements hold, and (tag, "") for each tag."""
    found = set()
    for element in page:
        found.add((element.tag, ""))
        found.update((element.tag, name) for name in element.attrib)
    return found


def script_urls(page: list) -> list[str]:
    found = []
    for element in page:
        for name, value in element.attrib.items():
            if name not in URL_ATTRIBUTES:
                continue
            squeezed = value.translate(UNREAD_IN_URLS).lower()
            if squeezed.startswith(SCRIPT_SCHEMES):
                found.append(f"<{element.tag} {name}={value[:60]!r}>")
    return found


@lru_cache(maxsize=4096)
def outside_html_allowlist(value: str) -> bool:
    """Rich text is stored as plans.sanitise leaves it: cleaning it again changes nothing.
    (Remembered per value: the fuzz checks every stored answer after each payload, and most
    have not changed since the last.)"""
    return clean_html(value) != value


def outside_text_allowlist(value: str) -> bool:
    """Table cells are plain text, stored unescaped and escaped wherever shown, so "<style>"
    or "a < b" in a cell is only text (the page checks prove it never becomes markup). What
    the text boundary refuses must never be stored: NUL and lone surrogates."""
    return "\x00" in value or bool(SURROGATES.search(value))


@dataclass
class Tally:
    target: str
    posted: int = 0
    pages: int = 0
    server_errors: list[str] = field(default_factory=list)
    stored_outside: list[str] = field(default_factory=list)
    broken_pages: list[str] = field(default_factory=list)
    # The markup pages had with ordinary content: anything more came from a payload.
    baseline: set = field(default_factory=set)

    def post(self, client: Client, url: str, *, role: str, payload: Payload, **kwargs):
        """Post and record a server error; ``fields`` go as form data, ``query`` as a GET's
        query string, anything else as the test client's own arguments (files, JSON)."""
        fields = kwargs.pop("fields", None)
        query = kwargs.pop("query", None)
        client.raise_request_exception = False
        if query is not None:
            response = client.get(f"{url}?{form_body(query).decode()}")
        else:
            if fields is not None:
                kwargs.update(
                    data=form_body(fields), content_type="application/x-www-form-urlencoded"
                )
            response = client.post(url, **kwargs)
        self.posted += 1
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = repr(error[1])[:300] if error else ""
            self.server_errors.append(
                f"{self.target}: {role} posting {payload} to {url} got "
                f"{response.status_code} {reason}"
            )
        return response

    def page(self, client: Client, url: str, *, shows: str, baseline: bool = False):
        """A page showing stored payloads renders (200) with no markup beyond its own."""
        client.raise_request_exception = False
        response = client.get(url)
        self.pages += 1
        if response.status_code != 200:
            error = getattr(response, "exc_info", None)
            self.broken_pages.append(
                f"{self.target}: {url} showing {shows} answered {response.status_code} "
                f"{repr(error[1])[:300] if error else ''}"
            )
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        page = elements(response.content)
        markup = markup_of(page)
        if baseline:
            self.baseline.update(markup)
            return response
        extra = markup - self.baseline - product_markup() - ALLOWED_MARKUP
        extra |= {(tag, attribute) for tag, attribute in markup if attribute.startswith("on")}
        for tag, attribute in sorted(extra):
            named = f"{tag} {attribute}".strip()
            self.stored_outside.append(f"{self.target}: {url} showing {shows} has <{named}>")
        for found in script_urls(page):
            self.stored_outside.append(f"{self.target}: {url} showing {shows} has {found}")
        return response

    def stored(self, what: str, value, *, html: bool, payload: Payload | str = "") -> None:
        if not isinstance(value, str):
            return
        outside = outside_html_allowlist(value) if html else outside_text_allowlist(value)
        if outside:
            self.stored_outside.append(
                f"{self.target}: {what} after {payload} holds {value[:120]!r}"
            )

    @property
    def failures(self) -> list[str]:
        return self.server_errors + self.stored_outside + self.broken_pages
