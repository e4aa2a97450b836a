"""The plan printed as the PCT's form: HTML built from the live plan, laid out by weasyprint.

The renderer fetches nothing but the product's own static files (the print stylesheet and the
bundled fonts): every other URL, whether ``file://``, ``http(s)://``, ``data:`` or a path
outside ``static/``, is refused and the render goes on without it. Answers are treated as
hostile even though they were cleaned on save: every piece of stored HTML passes an allowlist
again here, with no ``style``, ``img`` or other element that loads anything
(docs/decisions/0202-pdf-fetcher-and-seal.md).
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import nh3
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format

from consortia.presenters import site_url
from plans import presenters
from plans.audit import audit_chain_head
from plans.content import PlanContent
from plans.models import Plan, QuestionKind
from plans.plan_years import titled_with_year
from plans.sanitise import clean_html
from plans.word_writing import LONG_WORD

from .pdf_fit import MAX_SPAN, Fit, answer_fit
from .signing import Approval, SigningState, approved_by

# URLs the renderer may fetch are on this origin, which no resolver will ever answer
# (RFC 2606 reserves .invalid); the fetcher maps its /static/ path onto the static files.
STATIC_ORIGIN = "https://pbc-plans.invalid"
STATIC_PREFIX = "/static/"
BASE_URL = f"{STATIC_ORIGIN}/"
STATIC_BASE = f"{STATIC_ORIGIN}{STATIC_PREFIX}"
STYLESHEET = "css/pdf.css"

# What the fetcher serves, by file ending: a stylesheet, fonts and plain raster images.
SERVED_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_STATIC_BYTES = 4 * 1024 * 1024
# A plan is a few hundred kilobytes of HTML; far beyond that something is wrong, and layout
# time grows with size, so refuse before weasyprint starts.
MAX_HTML_CHARACTERS = 6_000_000

UK = ZoneInfo("Europe/London")


class RenderRefused(Exception):
    """The plan cannot be rendered safely (its HTML is far larger than any real plan)."""


class FetchRefused(ValueError):
    """A URL the renderer will not fetch. weasyprint reports it and leaves the resource out."""


@dataclass(frozen=True)
class DraftMark:
    generated_at: datetime
    revision: int


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int


# --- fetching --------------------------------------------------------------------------------


def _static_roots() -> list[Path]:
    roots = []
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.append(Path(root).resolve())
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


def static_file_for(url: str) -> Path:
    """The product's static file a renderer URL names; ``FetchRefused`` for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchRefused(f"Not a URL: {url[:200]}") from None
    if f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN or parts.query:
        raise FetchRefused(f"Only the product's own static files are fetched, not {url[:200]}")
    path = unquote(parts.path)
    if not path.startswith(STATIC_PREFIX):
        raise FetchRefused(f"Not a static file: {url[:200]}")
    relative = path.removeprefix(STATIC_PREFIX)
    segments = relative.split("/")
    if any(s in ("", ".", "..") for s in segments) or "\\" in relative or "\x00" in relative:
        raise FetchRefused(f"Not a plain static path: {url[:200]}")
    content_type = SERVED_TYPES.get(Path(relative).suffix.lower())
    if content_type is None:
        raise FetchRefused(f"Not a stylesheet, font or image: {url[:200]}")
    found = finders.find(relative)
    if found is None and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    if found is None:
        raise FetchRefused(f"No such static file: {url[:200]}")
    resolved = Path(found).resolve()
    if not any(resolved.is_relative_to(root) for root in _static_roots()):
        raise FetchRefused(f"Outside the static files: {url[:200]}")
    if not resolved.is_file() or resolved.stat().st_size > MAX_STATIC_BYTES:
        raise FetchRefused(f"Not a file of a sensible size: {url[:200]}")
    return resolved


class StaticOnlyFetcher(weasyprint.URLFetcher):
    """weasyprint's fetcher, narrowed to the product's static files and nothing else.

    ``refused`` lists every URL turned away during a render (for the log and for tests).
    """

    def __init__(self):
        super().__init__(
            timeout=1,
            # Never used (nothing is fetched over the network), but without it urllib loads
            # the system's trust store for every fetcher: about 50 ms a render.
            ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
            allowed_protocols={"https"},
            allow_redirects=False,
            fail_on_errors=False,
        )
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        try:
            path = static_file_for(url)
        except FetchRefused:
            self.refused.append(url)
            raise
        self.served.append(url)
        content_type = SERVED_TYPES[path.suffix.lower()]
        return weasyprint.urls.URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}
        )

    def open(self, url, data=None, timeout=None):
        # Never urllib's own opener: every way in goes through ``fetch``.
        return self.fetch(url if isinstance(url, str) else url.full_url)


# --- hostile HTML ----------------------------------------------------------------------------

_PRINT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "a",
    "blockquote", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "dl", "dt",
    "dd", "div", "span",
}  # fmt: skip
_PRINT_ATTRIBUTES = {
    "*": {"class"},
    "a": {"href"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("colspan", "rowspan"):
        return str(min(int(value), MAX_SPAN)) if value.isdigit() and int(value) > 0 else None
    if attribute == "class":
        return (
            " ".join(
                name for name in value.split() if name.replace("-", "").replace("_", "").isalnum()
            )[:200]
            or None
        )
    return value


def printable(html: str) -> str:
    """HTML safe to lay out: no styles, images, objects, forms or anything that fetches, and
    no spans wide enough to blow up a table. Links stay as links."""
    cleaned = nh3.clean(
        html or "",
        tags=_PRINT_TAGS,
        attributes=_PRINT_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _long_words_may_break(cleaned)


# A word longer than LONG_WORD may break anywhere when its line has no room for it (a pasted
# address, a run of one letter). Only such words: a table sizes each column to its longest
# word, so letting every word break would squeeze short columns mid-word.
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1},}}")


class _LongWords(HTMLParser):
    """Copies clean HTML, putting each long word of its text in a span that may break."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(
            _LONG_WORD.sub(
                lambda word: f'<span class="pdf-long-word">{word.group()}</span>',
                escape(data, quote=False),
            )
        )


# A tag of HTML from nh3. nh3 escapes every "<" in text, so a "<" only starts a tag and this
# never takes text away; a ">" inside an attribute may end it early, which only sends the
# HTML through the parser when it need not go.
_TAG = re.compile(r"<[^>]*>")


def _long_words_may_break(html: str) -> str:
    """Without a break, one long word in a table cell widens its column past the page and
    pushes the columns after it off the paper; a paragraph's runs past its margin."""
    # The parser marks long words of the text only, so only the text is looked at first (each
    # tag read as a space, as the parser reads the text either side of a tag apart): a long
    # link address or run of tags alone does not send the HTML through the parser.
    if not _LONG_WORD.search(_TAG.sub(" ", html)):
        return html
    copier = _LongWords()
    copier.feed(html)
    copier.close()
    return "".join(copier.out)


# --- what the pages show ---------------------------------------------------------------------


@dataclass
class PrintQuestion:
    key: str
    number: str
    title: str
    completed_by: str
    required: bool
    note_ref: str
    note_html: str
    prompts: list[str]
    answer_html: str
    is_signoff: bool
    #: the page it is laid out across (pdf_fit.Fit): pdf.css's classes for the question
    fit: str = Fit.PORTRAIT


@dataclass
class PrintPart:
    key: str
    number: str
    title: str
    guidance_html: str
    questions: list[PrintQuestion] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"part-{self.key}"

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass
class SignOffLine:
    title: str
    name: str = ""
    typed_name: str = ""
    date: str = ""
    signed: bool = False


@dataclass
class TrailLine:
    name: str
    email: str
    title: str
    typed_name: str
    signed_utc: str
    signed_uk: str
    ip_address: str
    user_agent: str
    content_sha256: str
    #: what confirmed it beside the password; "" for a signature given before it was recorded
    confirmed_with: str = ""


def uk_time(moment: datetime) -> str:
    local = moment.astimezone(UK)
    return f"{date_format(local, 'j F Y, H:i:s')} {local.tzname()}"


def utc_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _answer_html(row: presenters.QuestionRow) -> str:
    body = render_to_string("signoff/pdf/_answer.html", {"row": row})
    text = clean_html(row.answer.text) if row.answer is not None and row.answer.text else ""
    return printable(body + text)


def _parts(content: PlanContent) -> list[PrintPart]:
    plan = content.plan
    parts = []
    for part_content in content.parts:
        part = part_content.part
        printed = PrintPart(
            key=part.key,
            number=part.number,
            title=part.title,
            guidance_html=printable(clean_html(part.guidance)),
        )
        for item in part_content.questions:
            question = item.question
            is_signoff = question.kind == QuestionKind.SIGNOFF
            answer_html = ""
            if not is_signoff:
                row = presenters.question_row(question, item.answer, plan, context=content.context)
                answer_html = _answer_html(row)
            printed.questions.append(
                PrintQuestion(
                    key=question.key,
                    number=question.number,
                    title=question.title,
                    completed_by=presenters.completed_by_label(question, plan),
                    required=question.required,
                    note_ref=question.note_ref,
                    note_html=printable(clean_html(question.note)),
                    prompts=[str(prompt) for prompt in question.prompts or []],
                    answer_html=answer_html,
                    is_signoff=is_signoff,
                    fit=answer_fit(answer_html),
                )
            )
        parts.append(printed)
    return parts


def _signoff(state: SigningState) -> list[SignOffLine]:
    """One line per signatory the form names, in its order, filled where they have signed."""
    lines = [_signoff_line(block.title, state.signature_for(block)) for block in state.blocks]
    # A signature for a signatory the form no longer names is still printed, never dropped.
    lines += [_signoff_line(s.title, s) for s in state.unnamed_signatures]
    return lines


def _signoff_line(title: str, signature) -> SignOffLine:
    if signature is None:
        return SignOffLine(title=title)
    return SignOffLine(
        title=signature.title or title,
        name=signature.user.full_name or signature.typed_name,
        typed_name=signature.typed_name,
        date=date_format(signature.signed_at.astimezone(UK), "DATE_FORMAT"),
        signed=True,
    )


def _trail(state: SigningState) -> list[TrailLine]:
    return [
        TrailLine(
            name=s.user.full_name,
            email=s.user.email,
            title=s.title,
            typed_name=s.typed_name,
            signed_utc=utc_time(s.signed_at),
            signed_uk=uk_time(s.signed_at),
            ip_address=s.ip_address or "Not recorded",
            user_agent=s.user_agent or "Not recorded",
            content_sha256=s.content_sha256,
            confirmed_with=s.confirmed_with,
        )
        for s in state.signatures
    ]


def plan_html(
    *,
    plan: Plan,
    signatures,
    content_sha256: str,
    draft: DraftMark | None = None,
    content: PlanContent | None = None,
    approval: Approval | None = None,
) -> str:
    """The whole document as HTML, ready for weasyprint with ``BASE_URL`` and the fetcher:
    from ``content`` (the one the hash was taken of), or the plan's content read now.
    ``approval``: the approval that completes a plan whose form asks for no signatures; its
    PDF is then final, not a draft (docs/decisions/0328)."""
    # A draft is not signed, whatever has been signed so far: its sign-off block is blank.
    signatures = [] if draft or approval else list(signatures)
    signing = SigningState.of(plan, signatures=signatures)
    parts = _parts(content or PlanContent.of(plan))
    has_signoff_question = any(q.is_signoff for part in parts for q in part.questions)
    # A form that asks for no signatures has no sign-off block: it ends at approval (0361).
    asks_signatures = bool(signing.blocks or signing.unnamed_signatures)
    created = (
        draft.generated_at
        if draft
        else max((s.signed_at for s in signatures), default=datetime.now(UTC))
    )
    context = {
        "plan": plan,
        "plan_name": titled_with_year(plan.title, plan.period),
        "consortium": plan.consortium.name,
        "commissioner": plan.consortium.commissioner.name,
        "commissioner_word": settings.COMMISSIONER_WORD,
        "template": plan.template,
        "parts": parts,
        "signoff_lines": _signoff(signing),
        "asks_signatures": asks_signatures,
        "separate_signoff": asks_signatures and not has_signoff_question,
        "approval": approval,
        "approval_on": date_format(approval.on.astimezone(UK), "DATE_FORMAT")
        if approval and approval.on
        else "",
        "approved_by": approval.by_whom if approval else approved_by(plan),
        "trail": [] if draft else _trail(signing),
        # The certificate prints the audit chain's head as it stands when the file is made,
        # so the chain can later be checked against the paper (docs/decisions/0370).
        "audit_chain": None if draft or not signatures else audit_chain_head(plan),
        "last_signed": date_format(
            max(s.signed_at for s in signatures).astimezone(UK), "DATE_FORMAT"
        )
        if signatures
        else "",
        "content_sha256": content_sha256,
        "draft": draft,
        "draft_date": uk_time(draft.generated_at) if draft else "",
        "created_iso": created.astimezone(UTC).isoformat(timespec="seconds"),
        "return_instructions": printable(clean_html(plan.template.return_instructions)),
        "stylesheet": f"{STATIC_BASE}{STYLESHEET}",
        "service_name": settings.SERVICE_NAME,
        # Paper outlives the page it was printed from: the certificate names the verification
        # page's full address, once the service has been told its own.
        "verify_address": site_url(reverse("verify")) if settings.SITE_URL_GIVEN else "",
    }
    html = render_to_string("signoff/pdf/plan.html", context)
    if len(html) > MAX_HTML_CHARACTERS:
        raise RenderRefused(
            f"The plan's printed form is {len(html):,} characters, more than the "
            f"{MAX_HTML_CHARACTERS:,} any real plan needs."
        )
    return html


def write_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> RenderedPdf:
    """Lay out ``html`` (from ``plan_html``) with only the static files reachable."""
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()
    ).render(presentational_hints=False)
    # Tagged (PDF/UA-1): a structure tree of headings and tables, the title shown, the language set.
    return RenderedPdf(
        pdf=document.write_pdf(pdf_variant="pdf/ua-1"), page_count=len(document.pages)
    )


def render_plan_pdf(
    *,
    plan: Plan,
    signatures,
    content_sha256: str,
    draft: DraftMark | None = None,
    content: PlanContent | None = None,
    approval: Approval | None = None,
) -> RenderedPdf:
    """The plan as a PDF: from the live plan, which the caller has checked still hashes to
    ``content_sha256`` (content is frozen once approved). A draft is watermarked and has no
    certificate of completion; a signed plan ends with the sign-off trail; an approved plan
    whose form asks for no signatures (``approval``) says who approved it and when."""
    html = plan_html(
        plan=plan,
        signatures=signatures,
        content_sha256=content_sha256,
        draft=draft,
        content=content,
        approval=approval,
    )
    return write_pdf(html)
