"""Plan templates as definition files: read, check, preview, store and write them.

A file is read strictly (no aliases, no duplicate fields, numbers and dates kept as written),
then checked whole against the schema below before anything is stored, and every problem is
reported at once, located by the part and question numbers printed on the form, so an
administrator can fix a file in one pass. The format is in docs/definition-files.md; the
choice of a schema in this module over a library is docs/decisions/0330.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from consortia import selectors as organisation_selectors
from consortia.dates import long_date
from consortia.models import Commissioner, Position

from .kinds.table import COLUMN_TYPES, NUMERIC, TOTALS, formula_problem
from .models import CompletedBy, PlanTemplate, Prefill, QuestionKind, TemplatePart, TemplateQuestion
from .parameters import parameter_problems
from .sanitise import clean_html
from .selectors import parts_with_questions

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
SIGNATORY_SIDES = ("consortium", "pct")
MAX_SIGNATORIES = 8
MAX_FILE_BYTES = 1_000_000
# The deepest real file nests about eight levels (template, parts, part, questions, question,
# columns, column, options); anything far deeper is a mistake or an attack on the parser.
MAX_DEPTH = 32
FILE = "File"
TEMPLATE = "Template"


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __post_init__(self):
        # Messages quote the file; a control character or lone surrogate quoted back would
        # break the page or the terminal that shows it.
        for name in ("location", "message"):
            shown = _BAD_CHARACTER.sub(
                lambda bad: f"\\u{ord(bad.group()):04x}", getattr(self, name)
            )
            object.__setattr__(self, name, shown)

    def __str__(self):
        return f"{self.location}: {self.message}"


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# --- Reading ------------------------------------------------------------------------------------

_UNRESOLVED_TAGS = {
    # Numbers and dates stay text exactly as written ("1.10" never becomes 1.1, "010" never
    # 8); the checks below read dates. Merge keys and '=' values have no use in a definition.
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}


_ALLOWED_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


class _DefinitionLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stricter: refuses aliases (so no billion-laughs expansion),
    nesting deeper than MAX_DEPTH (so no RecursionError), a field given twice, and tags such as
    !!float or !!timestamp (whose constructors raise ValueError or worse on a bad value)."""

    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag not in _UNRESOLVED_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed: write the value out", event.start_mark
            )
        if getattr(event, "tag", None) not in _ALLOWED_TAGS:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the tag {event.tag} is not allowed: write the value as text",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        first_lines: dict[str, int] = {}
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 1
            if key_node.value in first_lines:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{_quoted(key_node.value)} is given twice (first on line "
                    f"{first_lines[key_node.value]}); keep one",
                    key_node.start_mark,
                )
            first_lines[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


def _yaml_problem(error: yaml.YAMLError, text: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return Problem(
            f"Line {line}, column {column}",
            f"character U+{error.character:04X} is not allowed in a YAML file",
        )
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return Problem(FILE, f"is not valid YAML: {error}")
    if isinstance(error, yaml.scanner.ScannerError | yaml.parser.ParserError) or error.context:
        return _syntax_problem(error, text)
    # The reader's own refusals (aliases, tags, depth, a field twice) are worded already.
    return Problem(f"Line {mark.line + 1}, column {mark.column + 1}", error.problem)


# --- Syntax errors in words -------------------------------------------------------------------
# PyYAML words its errors for YAML's authors ("expected <block end>, but found '<scalar>'") and
# points where it gave up, often a line after the mistake. Each common mistake is recognised
# here and said plainly, at the line to look at (and the parser's line where they differ).

_TOKENS = {
    "<scalar>": "text",
    "<block mapping start>": "a field",
    "<block sequence start>": "a list item",
    "<block end>": "the end of a block",
    "<stream end>": "the end of the file",
    "<document start>": "'---'",
    "<document end>": "'...'",
    "<directive>": "a '%' line",
    "<alias>": "a '*' (an alias)",
    "<anchor>": "an '&' (an anchor)",
    "<tag>": "a '!' (a tag)",
}


def _token(found: str) -> str:
    """How a message names the token PyYAML found ("'<scalar>'" is text, "':'" stays)."""
    return _TOKENS.get(found.strip("'"), found)


def _lines(first: int, last: int) -> str:
    return f"Line {first}" if first == last else f"Line {first} or {last}"


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _quoted_across_lines(text: str, line_index: int):
    """A quoted text that starts on an earlier line and ends on ``line_index``: a quote left
    open runs on to the next quote, and YAML stumbles a line or more after the mistake."""
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line > line_index:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == line_index
            ):
                found = token
    except yaml.YAMLError:
        pass
    return found


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> Problem:
    """What a YAML (or JSON) syntax error means, in words, at the line to look at."""
    mark, context_mark = error.problem_mark, error.context_mark
    problem, context = error.problem or "", error.context or ""
    line, column = mark.line + 1, mark.column + 1
    lines = text.splitlines()
    here = lines[mark.line] if mark.line < len(lines) else ""
    start = context_mark.line + 1 if context_mark is not None else line
    opener = text[context_mark.index : context_mark.index + 1] if context_mark else ""
    at = f"Line {line}, column {column}"
    found = _token(re.split(r"but (?:found|got) ", problem)[-1]) if "but " in problem else ""

    if "'\\t'" in problem or "tab character" in problem:
        if not here[: mark.column].strip(" \t"):
            return Problem(f"Line {line}", "starts with a tab: indent with spaces")
        return Problem(at, "a tab where YAML does not accept one: use spaces")
    if context == "while scanning a quoted scalar":
        to = f"the '---' on line {line}" if "separator" in problem else "the end of the file"
        return Problem(
            f"Line {start}",
            f"a quoted text is not closed (a {opener} with no closing {opener}): it runs on to "
            f"{to}",
        )
    if isinstance(error, yaml.scanner.ScannerError | yaml.parser.ParserError):
        quoted = _quoted_across_lines(text, mark.line)
        if quoted is not None:
            first, quote = quoted.start_mark.line + 1, quoted.style
            return Problem(
                _lines(first, line),
                f"a quoted text is not closed (a {quote} with no closing {quote}): the quote "
                f"opened on line {first} runs on to line {line}, where YAML cannot read on",
            )
    if "escape" in problem:
        return Problem(
            at,
            "a \\ between double quotes starts an escape such as \\n, and this one is not "
            "known: write \\\\ for a backslash, or put the text in single quotes",
        )
    if problem == "could not find expected ':'":
        return Problem(
            _lines(start, line) if line - start <= 1 else f"Line {start}",
            "a field needs a ':' and a space after its name ('name: value'); if the line is "
            "more of the text above it, indent it as far as that text",
        )
    if problem == "mapping values are not allowed here":
        if ": " in here[: mark.column]:
            return Problem(
                at,
                "the text holds ': ' (a colon and a space), which YAML reads as a new field: "
                "put the whole text in quotes",
            )
        return Problem(
            _lines(max(line - 1, 1), line),
            f"line {line} is indented more than the field above it, so YAML reads it as more "
            "of that field's text: the fields of one mapping start in the same column",
        )
    if problem in ("sequence entries are not allowed here", "mapping keys are not allowed here"):
        what = "a list item ('- ')" if problem.startswith("sequence") else "a '?'"
        return Problem(
            at,
            f"{what} where YAML does not expect one: a list item starts its own line, lined up "
            "with the other items of its list; text that starts with '- ' or '? ' must be put "
            "in quotes",
        )
    if problem.startswith("expected <block end>"):
        if here[: mark.column].rstrip().endswith(("'", '"')):
            return Problem(at, "text follows the closing quote: put the whole text in the quotes")
        noun = "list" if "collection" in context else "mapping"
        opened = lines[context_mark.line] if context_mark and context_mark.line < len(lines) else ""
        return Problem(
            f"Line {line}",
            f"is indented by {_spaces(_indent(here))}, which does not line up with the lines "
            f"above it (the {noun} that starts on line {start} is indented by "
            f"{_spaces(_indent(opened))}): the items of one list, and the fields of one "
            "mapping, start in the same column",
        )
    if problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        closer = problem[len("expected ',' or '")]
        noun = "list" if closer == "]" else "mapping"
        if found == _TOKENS["<stream end>"]:
            return Problem(
                FILE,
                f"ends before a list or mapping is closed (JSON: a ] or }} is missing): the "
                f"{noun} opened with '{opener}' on line {start} has no closing '{closer}'",
            )
        before = text[: mark.index].rstrip().count("\n") + 1
        colon = " (or a ':' after a name)" if closer == "}" and found == "text" else ""
        # In a YAML file, a bracket opens a list only by mistake: text that starts with one.
        quotes = (
            ""
            if text.lstrip().startswith(("{", "["))
            else f" (text that starts with '{opener}' must be put in quotes)"
        )
        return Problem(
            _lines(before, line),
            f"a ',' or a '{closer}' is missing before {found}{colon}: the {noun} opened with "
            f"'{opener}' on line {start} separates its items with commas and ends with "
            f"'{closer}'{quotes}",
        )
    if problem.startswith("expected the node content"):
        return Problem(at, f"a value is missing before {found}")
    if problem.startswith("expected '<document start>'"):
        if found in ("'}'", "']'"):
            return Problem(at, f"{found} closes nothing (one too many): remove it")
        return Problem(
            f"Line {line}",
            "the definition has ended before this line, so YAML cannot read it: check its "
            "indentation, and remove any '...' line above it",
        )
    if problem == "but found another document":
        return Problem(f"Line {line}", "a second document starts here: a file holds one")
    if "alias" in context or "anchor" in context:
        return Problem(
            at,
            "YAML reads a value that starts with * or & as an alias or anchor, which a "
            "definition does not use: put the text in quotes",
        )
    if "cannot start any token" in problem:
        return Problem(
            at, f"a value cannot start with {found or problem.split()[2]}: put the text in quotes"
        )
    if "tag" in context or "tag" in problem:
        return Problem(at, "YAML reads a value that starts with ! as a tag: put the text in quotes")
    if "block scalar" in context:
        return Problem(
            at,
            "after | or > the text starts on the next line, indented: put text that starts "
            "with | or > in quotes",
        )
    if "directive" in context:
        return Problem(
            f"Line {line}", "YAML reads a line that starts with % as a directive: put it in quotes"
        )
    if problem == "found unhashable key":
        return Problem(at, "a field's name must be text, not a list or a mapping")
    return Problem(at, f"YAML cannot read this ({problem or context})")


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def too_large(size: int) -> Problem:
    return Problem(
        FILE, f"is {_size(size)}; a definition file may be at most {_size(MAX_FILE_BYTES)}"
    )


def parse(raw: bytes) -> dict:
    """The mapping a definition file holds, or a DefinitionError that says where it is wrong."""
    if len(raw) > MAX_FILE_BYTES:
        raise DefinitionError([too_large(len(raw))])
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DefinitionError(
            [
                Problem(
                    f"Line {line}",
                    f"byte {error.start + 1} (0x{raw[error.start]:02X}) is not UTF-8 text: "
                    "save the file as UTF-8",
                )
            ]
        ) from error
    try:
        data = yaml.load(text, Loader=_DefinitionLoader)  # noqa: S506 (a safe loader, stricter)
    except yaml.YAMLError as error:
        raise DefinitionError([_yaml_problem(error, text)]) from error
    if not isinstance(data, dict):
        raise DefinitionError(
            [
                Problem(
                    FILE,
                    f"must be a mapping of template fields ({', '.join(TEMPLATE_FIELDS)}), "
                    f"not {_describe(data)}",
                )
            ]
        )
    return data


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused by its size before it is read."""
    if upload.size > MAX_FILE_BYTES:
        raise DefinitionError([too_large(upload.size)])
    return upload.read(MAX_FILE_BYTES + 1)


def read_file(path: Path) -> bytes:
    """A file's bytes, refused by its size before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DefinitionError([too_large(size)])
        with path.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DefinitionError([Problem(FILE, f"cannot be read: {error.strerror}")]) from error


# --- The schema -----------------------------------------------------------------------------------


class Type(StrEnum):
    TEXT = "text"
    KEY = "key"  # letters, digits, '-' and '_': stable identifiers
    FLAG = "flag"
    DATE = "date"
    TEXTS = "list of texts"
    ITEMS = "list of mappings"
    MAPPING = "mapping"


@dataclass(frozen=True)
class Field:
    type: Type = Type.TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    plural: str = ""  # how the message names the choices: "the kinds are: ..."
    hint: str = ""  # added to the message when the field is missing
    html: bool = False  # the small HTML subset (DEFINITION_TAGS); other text is plain


def _model_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


TEMPLATE_FIELDS = {
    "slug": Field(
        Type.KEY,
        required=True,
        max_length=_model_length(PlanTemplate, "slug"),
        hint="give the template's own slug, such as daccom-locality-plan-2006 "
        "(the file's name is not used)",
    ),
    "family": Field(Type.KEY, required=True, max_length=_model_length(PlanTemplate, "family")),
    "issuer": Field(Type.KEY, required=True, max_length=_model_length(Commissioner, "slug")),
    "name": Field(required=True, max_length=_model_length(PlanTemplate, "name")),
    "version_label": Field(required=True, max_length=_model_length(PlanTemplate, "version_label")),
    "version_date": Field(Type.DATE),
    "status": Field(choices=tuple(PlanTemplate.Status.values), plural="statuses"),
    "return_instructions": Field(html=True),
    "approved_by": Field(max_length=_model_length(PlanTemplate, "approved_by")),
    "parties": Field(Type.ITEMS),
    "signatories": Field(Type.ITEMS),
    "parts": Field(Type.ITEMS, required=True, hint="list at least one part"),
}
SIGNATORY_FIELDS = {
    # What the signatures given for this signatory are filed under; made from side, body and
    # position when not given ("pct-director-of-finance").
    "key": Field(Type.KEY, max_length=_model_length(Position, "name")),
    "title": Field(required=True, max_length=_model_length(Position, "name")),
    "side": Field(required=True, choices=SIGNATORY_SIDES, plural="sides"),
    "body": Field(max_length=_model_length(Position, "body")),
    "position": Field(required=True, max_length=_model_length(Position, "name")),
    "step": Field(),
}
BUILT_IN_PARTIES = tuple(CompletedBy.values)
# A party the form names (a practice, "PCT finance"), mapped to who may edit its answers.
PARTY_FIELDS = {
    "key": Field(Type.KEY, required=True, max_length=_model_length(TemplateQuestion, "party")),
    "label": Field(required=True, max_length=200),
    "edited_by": Field(required=True, choices=BUILT_IN_PARTIES, plural="editors"),
}
PART_FIELDS = {
    "key": Field(Type.KEY, required=True, max_length=_model_length(TemplatePart, "key")),
    "number": Field(max_length=_model_length(TemplatePart, "number")),
    "title": Field(required=True, max_length=_model_length(TemplatePart, "title")),
    "guidance": Field(html=True),
    "questions": Field(Type.ITEMS),
}
QUESTION_FIELDS = {
    "key": Field(Type.KEY, required=True, max_length=_model_length(TemplateQuestion, "key")),
    "number": Field(max_length=_model_length(TemplateQuestion, "number")),
    "title": Field(required=True),
    # One of BUILT_IN_PARTIES or a key of the template's parties (checked with them).
    "completed_by": Field(required=True, max_length=_model_length(TemplateQuestion, "party")),
    "required": Field(Type.FLAG),
    "note_ref": Field(max_length=_model_length(TemplateQuestion, "note_ref")),
    "note": Field(html=True),
    "prompts": Field(Type.TEXTS),
    "kind": Field(required=True, choices=tuple(QuestionKind.values), plural="kinds"),
    "columns": Field(Type.ITEMS),
    "prefill": Field(choices=tuple(Prefill.values), plural="prefills"),
    # The kind's rates, shares, scales and labels (plans/parameters.py, docs/decisions/0400).
    "parameters": Field(Type.MAPPING),
}
COLUMN_FIELDS = {
    "key": Field(Type.KEY, required=True),
    "label": Field(required=True),
    # Typed columns (issue 13.2, docs/decisions/0301): the table kind reads them.
    "type": Field(choices=tuple(COLUMN_TYPES), plural="column types"),
    "options": Field(Type.TEXTS),
    "total": Field(choices=TOTALS, plural="totals"),
    "formula": Field(),
    "width": Field(),
    "required": Field(Type.FLAG),
}

NUMBER_LENGTH = _model_length(TemplateQuestion, "number")
_KEY_PATTERN = re.compile(r"[-a-zA-Z0-9_]+", re.ASCII)
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# NUL, the other C0 controls but tab and line breaks, and lone surrogates: a database refuses
# the first and the last, and none belongs in a form's text.
_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _quoted(value) -> str:
    text = str(value)
    return f"'{text[:40]}...'" if len(text) > 40 else f"'{text}'"


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f"{word} (YAML reads yes/no/on/off/true/false as true or false: quote the text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, str):
        return f"the text {_quoted(value)}"
    if isinstance(value, int | float):
        return f"the number {value!r} (write it in quotes)"
    return f"a value of type {type(value).__name__}"


def _text_problem(name: str, value, spec: Field, *, label: str = "") -> str | None:
    label = label or f"'{name}'"
    if not isinstance(value, str):
        return f"{label} must be text, not {_describe(value)}"
    if bad := _BAD_CHARACTER.search(value):
        code = ord(bad.group())
        what = "a lone surrogate" if code >= 0xD800 else "the control character"
        return f"{label} holds {what} U+{code:04X} at character {bad.start() + 1}; remove it"
    if spec.max_length and len(value) > spec.max_length:
        return f"{label} is {len(value)} characters long; at most {spec.max_length} fit"
    if spec.choices and value not in spec.choices:
        close = difflib.get_close_matches(value, spec.choices, n=1)
        suggestion = f" (did you mean '{close[0]}'?)" if close else ""
        return (
            f"unknown {name} {_quoted(value)}{suggestion}; the {spec.plural} are: "
            f"{', '.join(spec.choices)}"
        )
    if spec.type is Type.KEY and not _KEY_PATTERN.fullmatch(value):
        example = f", such as {_quoted(slugify(value))}" if slugify(value) else ""
        return f"{label} {_quoted(value)} may hold only letters, digits, '-' and '_'{example}"
    if spec.type is Type.DATE:
        if not _DATE_PATTERN.fullmatch(value):
            return f"{label} {_quoted(value)} must be a date written YYYY-MM-DD, such as 2006-05-01"
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"{label} {value} is not a date in the calendar"
    return None


# --- Markup -------------------------------------------------------------------------------------
# A form's HTML is refused, not cleaned, where it holds what the pages would not show as written
# (a table flattened to its words, a script dropped): the administrator fixes the file instead of
# finding a different form imported. clean_html still runs on what passes.

DEFINITION_TAGS = ("p", "ul", "ol", "li", "strong", "em", "h3", "h4", "a", "br")
LINK_ATTRIBUTES = ("href", "title")
LINK_SCHEMES = ("http", "https", "mailto")
LINK_REL = "noopener noreferrer"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# What a browser reads as a tag or markup: '<' then a letter, '/', '!' or '?'. "< 5 years" and
# "<5" are text.
_TAG_LIKE = re.compile(r"<[/!?]?[a-zA-Z!?][^<>]{0,30}>?")


class _MarkupReader(HTMLParser):
    """What a piece of a form's HTML holds beyond DEFINITION_TAGS."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.links: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in DEFINITION_TAGS:
            self.tags.append(f"<{tag}>")
            return
        for attribute, value in attrs:
            if tag == "a" and attribute == "rel" and value == LINK_REL:
                continue  # what clean_html adds to every link, so a downloaded file has it
            if tag != "a" or attribute not in LINK_ATTRIBUTES:
                self.attributes.append(f"{attribute} on <{tag}>")
            elif attribute == "href":
                scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", value or ""))
                if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
                    self.links.append(_quoted(value))

    def handle_endtag(self, tag):
        if tag not in DEFINITION_TAGS:
            self.tags.append(f"<{tag}>")

    def handle_comment(self, data):
        self.other.append("a comment (<!-- -->)")

    def handle_decl(self, decl):
        self.other.append(_quoted(f"<!{decl}>"))

    def unknown_decl(self, data):
        self.other.append(_quoted(f"<![{data}]>"))

    def handle_pi(self, data):
        self.other.append(_quoted(f"<?{data}>"))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _markup_problems(label: str, value: str) -> list[str]:
    """What a field of the HTML subset holds that a form cannot, each said once."""
    reader = _MarkupReader()
    try:
        reader.feed(value)
        reader.close()
    except Exception:  # html.parser reads nearly anything; say so where it does not
        return [f"{label} holds markup that cannot be read as HTML"]
    problems = []
    if reader.tags:
        problems.append(
            f"{label} holds {', '.join(_unique(reader.tags))}, which a form cannot hold; the "
            f"allowed tags are: {', '.join(DEFINITION_TAGS)}"
        )
    if reader.attributes:
        problems.append(
            f"{label} holds the attribute {', '.join(_unique(reader.attributes))}, which a form "
            f"cannot hold; only <a> takes {' and '.join(LINK_ATTRIBUTES)}"
        )
    if reader.links:
        problems.append(
            f"{label} links to {', '.join(_unique(reader.links))}: a link starts http:, "
            "https: or mailto:"
        )
    if reader.other:
        problems.append(
            f"{label} holds {', '.join(_unique(reader.other))}, which a form does not keep: "
            "remove it"
        )
    return problems


def _tag_like_problem(label: str, value: str) -> str | None:
    """Plain text (a title, a label) is shown as written: a tag in it is a mistake or worse."""
    if tag := _TAG_LIKE.search(value):
        return (
            f"{label} holds {_quoted(tag.group())}, which is HTML; this is plain text, "
            "shown as written: take the tag out (a '<' followed by a space or a digit, as in "
            "'< 5 years', is fine)"
        )
    return None


def _field_problems(name: str, value, spec: Field) -> list[str]:
    if spec.type is Type.FLAG:
        return [] if isinstance(value, bool) else [f"'{name}' must be true or false"]
    if spec.type is Type.MAPPING:
        if isinstance(value, dict):
            return []
        return [f"'{name}' must be a mapping, one 'name: value' line each, not {_describe(value)}"]
    if spec.type in (Type.TEXTS, Type.ITEMS):
        if not isinstance(value, list):
            return [f"'{name}' must be a {spec.type}, one '- ' line each, not {_describe(value)}"]
        if spec.type is Type.TEXTS:
            return [
                problem
                for position, item in enumerate(value, start=1)
                if (
                    problem := _text_problem(name, item, Field(), label=f"'{name}' item {position}")
                    or _tag_like_problem(f"'{name}' item {position}", item)
                )
            ]
        return []
    problem = _text_problem(name, value, spec)
    if problem:
        return [problem]
    if spec.html:
        return _markup_problems(f"'{name}'", value)
    if spec.type is Type.TEXT and (problem := _tag_like_problem(f"'{name}'", value)):
        return [problem]
    return []


def _absent(value) -> bool:
    return value is None or value == "" or value == []


def _check_fields(
    data, fields: dict[str, Field], level: str, where: str, problems: list[Problem]
) -> bool:
    """Report what is wrong with one mapping of the file; False when it is not a mapping."""
    if not isinstance(data, dict):
        problems.append(
            Problem(where, f"must be a mapping of {level} fields, not {_describe(data)}")
        )
        return False
    for name in data:
        if name not in fields:
            close = difflib.get_close_matches(str(name), fields, n=1)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(
                    where,
                    f"unknown field {_quoted(name)}{suggestion}; the fields of a {level} are: "
                    f"{', '.join(fields)}",
                )
            )
    for name, spec in fields.items():
        value = data.get(name)
        if _absent(value):
            if spec.required:
                hint = f": {spec.hint}" if spec.hint else ""
                problems.append(Problem(where, f"'{name}' is missing{hint}"))
            continue
        problems.extend(Problem(where, message) for message in _field_problems(name, value, spec))
    return True


def _text(data, name: str) -> str:
    """A field's value where it is text, to name or compare things by; "" otherwise."""
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _items(data: dict, name: str) -> list:
    value = data.get(name)
    return value if isinstance(value, list) else []


def _label(noun: str, position: int, data, *, ambiguous_numbers: set[str] = frozenset()) -> str:
    """How a message names a part or question: by its printed number, then by its key."""
    number, key = _text(data, "number"), _text(data, "key")
    if number and len(number) <= NUMBER_LENGTH and not _BAD_CHARACTER.search(number):
        return f"{noun} {number} ('{key}')" if number in ambiguous_numbers else f"{noun} {number}"
    if key:
        return f"{noun} {_quoted(key)}"
    return f"{noun} at position {position}"


def _note_duplicate(seen: dict, value: str, noun: str, where: str, problems: list[Problem]):
    if not value:
        return
    if value in seen:
        problems.append(Problem(where, f"duplicate {noun} {_quoted(value)} (also {seen[value]})"))
    else:
        seen[value] = where


def _check_issuer(data: dict, problems: list[Problem], *, loaded_for: Commissioner | None) -> None:
    issuer = _text(data, "issuer")
    if loaded_for is not None:
        # Loading for one PCT: the file must be that PCT's, and other PCTs are not listed.
        if issuer != loaded_for.slug:
            problems.append(
                Problem(
                    TEMPLATE,
                    f"issuer '{issuer}' is not {loaded_for.name}: you can load only your own PCT's "
                    f"forms, whose files say 'issuer: {loaded_for.slug}'",
                )
            )
        return
    if not _KEY_PATTERN.fullmatch(issuer) or Commissioner.objects.filter(slug=issuer).exists():
        return
    slugs = list(Commissioner.objects.order_by("slug").values_list("slug", flat=True)[:21])
    listed = ", ".join(slugs[:20]) + (", ..." if len(slugs) > 20 else "")
    problems.append(
        Problem(
            TEMPLATE,
            f"issuer '{issuer}' is not a known PCT; "
            + (f"the PCTs are: {listed}" if listed else "there are no PCTs yet: add its PCT first"),
        )
    )


def _check_question(
    question: dict, where: str, problems: list[Problem], *, parties: tuple[str, ...] = ()
) -> None:
    kind = _text(question, "kind")
    columns = _items(question, "columns")
    completed_by = _text(question, "completed_by")
    known = (*BUILT_IN_PARTIES, *parties)
    if completed_by and completed_by not in known:
        close = difflib.get_close_matches(completed_by, known, n=1)
        suggestion = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(
            Problem(
                where,
                f"unknown completed_by {_quoted(completed_by)}{suggestion}; the completed_by "
                f"values are: {', '.join(known)}; or name it under the template's 'parties' "
                "with who edits it",
            )
        )
    parameters = question.get("parameters")
    if isinstance(parameters, dict) and kind in QuestionKind.values:
        problems.extend(Problem(where, message) for message in parameter_problems(kind, parameters))
        problems.extend(
            Problem(where, message)
            for label, text in _texts_within(parameters, "parameter")
            if (message := _tag_like_problem(label, text))
        )
    if kind == QuestionKind.TABLE and _absent(question.get("columns")):
        problems.append(Problem(where, "a table needs 'columns', a list of {key, label}"))
    if kind in QuestionKind.values and kind != QuestionKind.TABLE:
        problems.extend(
            Problem(where, f"'{name}' is only for kind 'table'")
            for name in ("columns", "prefill")
            if not _absent(question.get(name))
        )
    column_keys: dict[str, str] = {}
    for position, column in enumerate(columns, start=1):
        column_where = f"{where}, column {position}"
        if _check_fields(column, COLUMN_FIELDS, "column", column_where, problems):
            _note_duplicate(column_keys, _text(column, "key"), "column key", column_where, problems)
            problems.extend(
                Problem(column_where, message)
                for message in _column_problems(column, [_text(c, "key") for c in columns])
            )


def _texts_within(value, label: str):
    """Each text in a kind's parameters (labels, questions) with where it is, to check that
    none holds a tag: the pages print them as plain text."""
    if isinstance(value, str):
        yield label, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _texts_within(item, f"{label} {_quoted(name)}")
    elif isinstance(value, list):
        for position, item in enumerate(value, start=1):
            yield from _texts_within(item, f"{label}, row {position}")


def _column_problems(column: dict, keys: list[str]) -> list[str]:
    """What a typed column asks that cannot be: options on a column that is not a choice, a
    sum of text, a formula over columns the table does not have."""
    kind = _text(column, "type") or "text"
    problems = []
    # A type that is not known is refused already (COLUMN_FIELDS): what would follow from it
    # ("only a number can be summed ..., and this column is 'mony'") would only repeat that.
    if kind in COLUMN_TYPES:
        if kind == "choice" and _absent(column.get("options")):
            problems.append("a 'choice' column needs 'options', the choices listed")
        if kind != "choice" and not _absent(column.get("options")):
            problems.append(f"'options' are only for a 'choice' column, and this one is '{kind}'")
        total = _text(column, "total")
        if total == "sum" and kind not in NUMERIC and _absent(column.get("formula")):
            problems.append(
                f"only a number can be summed ({', '.join(NUMERIC)}), and this column is '{kind}'"
            )
        if total == "count_yes" and kind != "yes_no":
            problems.append(f"'count_yes' is only for a 'yes_no' column, and this one is '{kind}'")
    formula = column.get("formula")
    if not _absent(formula):
        if not isinstance(formula, str):
            problems.append("'formula' must be text, like 'likelihood * impact'")
        else:
            own = _text(column, "key")
            problem = formula_problem(formula, [key for key in keys if key and key != own])
            if problem:
                problems.append(problem)
    return problems


def signatory_label(signatory: dict) -> str:
    """How messages and pages name the position that signs: "PCT Director of Finance"."""
    side = "PCT" if signatory.get("side") == "pct" else "consortium"
    body = _text(signatory, "body")
    return " ".join(part for part in (side, body, _text(signatory, "position")) if part)


def signatory_key(signatory: dict) -> str:
    """The signatory's key as written, or made from its side, body and position."""
    if given := _text(signatory, "key"):
        return given
    parts = (_text(signatory, "side"), _text(signatory, "body"), _text(signatory, "position"))
    return slugify(" ".join(part for part in parts if part))[: SIGNATORY_FIELDS["key"].max_length]


def _check_signatories(data: dict, problems: list[Problem]) -> None:
    signatories = _items(data, "signatories")
    if len(signatories) > MAX_SIGNATORIES:
        problems.append(
            Problem(
                TEMPLATE,
                f"'signatories' lists {len(signatories)}; a sign-off block has at most "
                f"{MAX_SIGNATORIES}",
            )
        )
    seen: dict[str, str] = {}
    keys: dict[str, str] = {}
    step: int | None = 0
    for position, signatory in enumerate(signatories, start=1):
        title = _text(signatory, "title")
        where = f"Signatory {position}" + (f" ({_quoted(title)})" if title else "")
        if not _check_fields(signatory, SIGNATORY_FIELDS, "signatory", where, problems):
            continue
        if _text(signatory, "side") in SIGNATORY_SIDES and _text(signatory, "position"):
            _note_duplicate(
                seen, signatory_label(signatory).casefold(), "signatory", where, problems
            )
            _note_duplicate(keys, signatory_key(signatory), "signatory key", where, problems)
            if signatory_key(signatory) == _text(signatory, "side"):
                problems.append(
                    Problem(where, "give it a 'key' of letters and digits: its position has none")
                )
        given = signatory.get("step")
        if _absent(given) or not isinstance(given, str):
            step = None if step is None else step + 1
            continue
        if not given.isascii() or not given.isdigit():
            problems.append(
                Problem(where, f"'step' {_quoted(given)} must be a whole number, such as 1 or 2")
            )
            # Which step it meant is unknown: the next is not said to break the order for it.
            step = None
            continue
        if int(given) == 0 or (step is not None and int(given) not in (step, step + 1)):
            expected = "1" if not step else f"{step} (signing with the one before) or {step + 1}"
            problems.append(
                Problem(
                    where,
                    f"'step' {given} does not follow on: steps go 1, 2, 3 in the order of the "
                    f"block, and several signatories of one step sign in any order; write "
                    f"{expected}",
                )
            )
            continue
        step = int(given)


def _check_parties(data: dict, problems: list[Problem]) -> tuple[str, ...]:
    """The keys of the parties the template names, each checked."""
    keys: dict[str, str] = {}
    for position, party in enumerate(_items(data, "parties"), start=1):
        label = _text(party, "label")
        where = f"Party {position}" + (f" ({_quoted(label)})" if label else "")
        if not _check_fields(party, PARTY_FIELDS, "party", where, problems):
            continue
        key = _text(party, "key")
        if key in BUILT_IN_PARTIES:
            problems.append(
                Problem(
                    where,
                    f"'{key}' is built in (consortium, pct, both): give the party a key of its own",
                )
            )
            continue
        _note_duplicate(keys, key, "party key", where, problems)
    return tuple(keys)


def check(data, *, loaded_for: Commissioner | None = None) -> list[Problem]:
    """Every problem of a definition, each located by the numbers printed on the form; with
    ``loaded_for``, a definition issued by any other PCT is one of them."""
    problems: list[Problem] = []
    if not _check_fields(data, TEMPLATE_FIELDS, "template", TEMPLATE, problems):
        return problems
    _check_issuer(data, problems, loaded_for=loaded_for)
    parties = _check_parties(data, problems)
    _check_signatories(data, problems)
    parts = _items(data, "parts")
    questions = [
        question
        for part in parts
        if isinstance(part, dict)
        for question in _items(part, "questions")
    ]
    numbers = Counter(_text(question, "number") for question in questions)
    ambiguous = {number for number, count in numbers.items() if count > 1}
    part_keys: dict[str, str] = {}
    question_keys: dict[str, str] = {}
    for part_position, part in enumerate(parts, start=1):
        where = _label("Part", part_position, part)
        if not _check_fields(part, PART_FIELDS, "part", where, problems):
            continue
        _note_duplicate(part_keys, _text(part, "key"), "part key", where, problems)
        for position, question in enumerate(_items(part, "questions"), start=1):
            label = _label("question", position, question, ambiguous_numbers=ambiguous)
            question_where = f"{where}, {label}"
            if _check_fields(question, QUESTION_FIELDS, "question", question_where, problems):
                _note_duplicate(
                    question_keys, _text(question, "key"), "question key", question_where, problems
                )
                _check_question(question, question_where, problems, parties=parties)
    return problems


# --- Storing --------------------------------------------------------------------------------------


def _or(data: dict, name: str, default):
    value = data.get(name)
    return default if _absent(value) else value


def _canonical(data: dict) -> dict:
    """A checked definition with every default filled in and its HTML cleaned, as stored."""
    return {
        "slug": data["slug"],
        "family": data["family"],
        "issuer": data["issuer"],
        "name": data["name"],
        "version_label": data["version_label"],
        "version_date": _or(data, "version_date", None),
        "status": _or(data, "status", PlanTemplate.Status.DRAFT),
        "return_instructions": clean_html(_or(data, "return_instructions", "")),
        "approved_by": _or(data, "approved_by", ""),
        "parties": [
            {name: party[name] for name in PARTY_FIELDS} for party in _or(data, "parties", [])
        ],
        "signatories": _canonical_signatories(_or(data, "signatories", [])),
        "parts": [
            {
                "key": part["key"],
                "number": _or(part, "number", ""),
                "title": part["title"],
                "guidance": clean_html(_or(part, "guidance", "")),
                "questions": [
                    {
                        "key": question["key"],
                        "number": _or(question, "number", ""),
                        "title": question["title"],
                        **_completed_by(question["completed_by"], _or(data, "parties", [])),
                        "required": _or(question, "required", True),
                        "kind": question["kind"],
                        "note_ref": _or(question, "note_ref", ""),
                        "note": clean_html(_or(question, "note", "")),
                        "prompts": list(_or(question, "prompts", [])),
                        "columns": [dict(column) for column in _or(question, "columns", [])],
                        "prefill": _or(question, "prefill", ""),
                        "parameters": dict(_or(question, "parameters", {})),
                    }
                    for question in _or(part, "questions", [])
                ],
            }
            for part in data["parts"]
        ],
    }


def _completed_by(name: str, parties: list[dict]) -> dict:
    """Who edits a question (``completed_by`` as stored) and the party the form names, when
    it is one of the template's own (docs/decisions/0403)."""
    if name in BUILT_IN_PARTIES:
        return {"completed_by": name, "party": ""}
    party = next(party for party in parties if party["key"] == name)
    return {"completed_by": party["edited_by"], "party": name}


def _canonical_signatories(signatories: list[dict]) -> list[dict]:
    """Each signatory with its body and step written out: a signatory without a step signs after
    the one before it. Steps are stored as numbers; a file writes them as text."""
    canonical = []
    step = 0
    for signatory in signatories:
        given = signatory.get("step")
        step = step + 1 if _absent(given) else int(given)
        canonical.append(
            {
                "key": signatory_key(signatory),
                "title": signatory["title"],
                "side": signatory["side"],
                "body": _or(signatory, "body", ""),
                "position": signatory["position"],
                "step": step,
            }
        )
    return canonical


class Outcome(StrEnum):
    CREATE = "create"
    REPLACE_DRAFT = "replace_draft"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportPreview:
    """What importing a checked definition will do, before anything is stored."""

    definition: dict
    outcome: Outcome
    existing: PlanTemplate | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.definition['name']} [{self.definition['version_label']}]"

    @property
    def version(self) -> str:
        """The version's label and, where the file dates it, its day in words, as every page
        writes dates: "2007/08 v1.2 (30 March 2007)"."""
        dated = self.definition["version_date"]
        label = self.definition["version_label"]
        return f"{label} ({long_date(date.fromisoformat(str(dated)))})" if dated else label

    @property
    def issuer_name(self) -> str:
        """The issuing PCT as people know it (the check found it by its slug)."""
        return Commissioner.objects.get(slug=self.definition["issuer"]).name

    @property
    def summary(self) -> str:
        """What importing will do."""
        slug = self.definition["slug"]
        return {
            Outcome.CREATE: f"Importing this file creates {self.title}, slug '{slug}'.",
            Outcome.REPLACE_DRAFT: f"Importing this file replaces the draft {self.title}, "
            f"slug '{slug}'.",
            Outcome.UNCHANGED: f"{self.title}, slug '{slug}', is already imported as this file "
            "says: importing it changes nothing.",
        }[self.outcome]

    @property
    def result(self) -> str:
        """What importing did."""
        return {
            Outcome.CREATE: f"created {self.title}",
            Outcome.REPLACE_DRAFT: f"replaced the draft {self.title}",
            Outcome.UNCHANGED: f"{self.title} was already imported as the file says; "
            "nothing changed",
        }[self.outcome]

    @property
    def parts(self) -> list[dict]:
        return [
            {"number": part["number"], "title": part["title"], "questions": len(part["questions"])}
            for part in self.definition["parts"]
        ]

    @property
    def kinds(self) -> list[tuple[str, int]]:
        used = Counter(
            question["kind"] for part in self.definition["parts"] for question in part["questions"]
        )
        return [(QuestionKind(kind).label, count) for kind, count in used.items()]

    @property
    def settings(self) -> list[dict]:
        """Each question's parameters as the preview lists them: figures as written, lists
        and labels by what they hold (docs/decisions/0400)."""

        def shown(name, value) -> str:
            if isinstance(value, dict):
                return f"{name}: {', '.join(str(key) for key in value)}"
            if isinstance(value, list):
                return f"{name}: {len(value)} row{'s' if len(value) != 1 else ''}"
            return f"{name}: {value}"

        return [
            {
                "question": f"{question['number']} {question['title']}".strip(),
                "settings": "; ".join(shown(n, v) for n, v in question["parameters"].items()),
            }
            for part in self.definition["parts"]
            for question in part["questions"]
            if question["parameters"]
        ]

    @property
    def signatories(self) -> list[dict]:
        return [
            {
                "title": signatory["title"],
                "position": signatory_label(signatory),
                "step": signatory["step"],
            }
            for signatory in self.definition["signatories"]
        ]


def _frozen(template: PlanTemplate) -> bool:
    return template.status != PlanTemplate.Status.DRAFT or template.plans.exists()


def _without_status(definition: dict) -> dict:
    return {name: value for name, value in definition.items() if name != "status"}


def _differences(old: dict, new: dict) -> list[str]:
    fields = [
        name for name in new if name not in ("parts", "status") and old.get(name) != new[name]
    ]
    old_parts = {part["key"]: part for part in old["parts"]}
    new_keys = {part["key"] for part in new["parts"]}
    parts = [
        _label("Part", position, part)
        for position, part in enumerate(new["parts"], start=1)
        if old_parts.get(part["key"]) != part
    ]
    removed = [f"Part '{key}' removed" for key in old_parts if key not in new_keys]
    return fields + parts + removed or ["the order of the parts"]


def _frozen_problem(existing: PlanTemplate, old: dict, new: dict) -> Problem:
    used = existing.plans.count()
    usage = f" and used by {used} plan{'s' if used != 1 else ''}" if used else ""
    return Problem(
        TEMPLATE,
        f"version {existing.version_label} is {existing.get_status_display().lower()}{usage}: "
        f"give this file a new version (a new slug and version_label) to change it; "
        f"it differs in: {', '.join(_differences(old, new))}",
    )


def _others_problems(definition: dict, loaded_for: Commissioner) -> list[Problem]:
    """A file loaded for one PCT may neither rewrite another PCT's form under its slug nor join
    another PCT's family: plans move between the versions of one family."""
    problems = []
    others = PlanTemplate.objects.exclude(issuer=loaded_for)
    for name in ("slug", "family"):
        if others.filter(**{name: definition[name]}).exists():
            problems.append(
                Problem(
                    TEMPLATE,
                    f"{name} '{definition[name]}' is another PCT's form: give this file a "
                    f"{name} of your own",
                )
            )
    return problems


def _same_date_problem(definition: dict) -> Problem | None:
    """A version dated the same as another of its family: no plan could move onto it, for a plan
    moves only to a version dated later than its own (selectors.newer_versions). Decision 0479."""
    dated = definition["version_date"]
    if dated is None:
        return None
    twin = (
        PlanTemplate.objects.filter(family=definition["family"], version_date=dated)
        .exclude(slug=definition["slug"])
        .order_by("pk")
        .first()
    )
    if twin is None:
        return None
    return Problem(
        TEMPLATE,
        f"this version is dated the same as {twin.version_label} ({long_date(twin.version_date)}): "
        "give it a later version_date so plans can move onto it",
    )


def preview(data: dict, *, loaded_for: Commissioner | None = None) -> ImportPreview:
    """What storing ``data`` will do, or a DefinitionError listing every problem. Reads only.
    ``loaded_for``: the PCT whose lead loads the file, which must be its form (docs/decisions/0469);
    the site administrator's import and the seed files load any PCT's."""
    problems = check(data, loaded_for=loaded_for)
    if problems:
        raise DefinitionError(problems)
    definition = _canonical(data)
    if loaded_for is not None and (problems := _others_problems(definition, loaded_for)):
        raise DefinitionError(problems)
    existing = PlanTemplate.objects.filter(slug=definition["slug"]).first()
    namesake = (
        PlanTemplate.objects.filter(
            family=definition["family"], version_label=definition["version_label"]
        )
        .exclude(slug=definition["slug"])
        .first()
    )
    if namesake is not None:
        raise DefinitionError(
            [
                Problem(
                    TEMPLATE,
                    f"family '{namesake.family}' already has version '{namesake.version_label}' "
                    f"as template '{namesake.slug}': give this file a new version_label, or "
                    f"slug '{namesake.slug}' to update that version",
                )
            ]
        )
    if problem := _same_date_problem(definition):
        raise DefinitionError([problem])
    warnings = []
    if definition["status"] == PlanTemplate.Status.DRAFT:
        publish = (
            "you load it again with 'status: published'"
            if loaded_for is not None
            else "an administrator publishes it on its template page"
        )
        warnings.append(
            f"It is imported as a draft: consortia can start plans on it once {publish}."
        )
    warnings += _unheld_positions(definition)
    if existing is None:
        return ImportPreview(definition, Outcome.CREATE, warnings=warnings)
    stored = _canonical(export(existing))
    if _frozen(existing):
        if _without_status(stored) != _without_status(definition):
            raise DefinitionError([_frozen_problem(existing, stored, definition)])
        if stored["status"] != definition["status"]:
            warnings = [
                f"The file says status '{definition['status']}'; the template stays "
                f"'{existing.status}' (change it on the template page)."
            ]
        return ImportPreview(definition, Outcome.UNCHANGED, existing, warnings)
    outcome = Outcome.UNCHANGED if stored == definition else Outcome.REPLACE_DRAFT
    return ImportPreview(definition, outcome, existing, warnings)


def _unheld_positions(definition: dict) -> list[str]:
    """A warning for each position the form's signatories name that no one holds: plans on the
    form would wait at that signature until someone is assigned."""
    issuer = Commissioner.objects.get(slug=definition["issuer"])
    organisations = {
        "pct": [(issuer, None)],
        "consortium": [(consortium, consortium.pk) for consortium in issuer.consortia.all()],
    }
    held = organisation_selectors.held_position_names(commissioner_id=issuer.pk)
    return [
        f"No one holds {signatory_label(signatory)} at {organisation}: assign someone on its "
        "organisation page before plans on this form reach signing."
        for signatory in definition["signatories"]
        for organisation, consortium_id in organisations[signatory["side"]]
        if (consortium_id, signatory["body"].lower(), signatory["position"].lower()) not in held
    ]


def _create(definition: dict) -> PlanTemplate:
    template = PlanTemplate.objects.create(
        slug=definition["slug"],
        family=definition["family"],
        issuer=Commissioner.objects.get(slug=definition["issuer"]),
        name=definition["name"],
        version_label=definition["version_label"],
        version_date=date.fromisoformat(definition["version_date"])
        if definition["version_date"]
        else None,
        status=definition["status"],
        return_instructions=definition["return_instructions"],
        parties=definition["parties"],
        signatories=definition["signatories"],
        approved_by=definition["approved_by"],
    )
    question_position = 0
    for part_position, part_data in enumerate(definition["parts"]):
        part = TemplatePart.objects.create(
            template=template,
            position=part_position,
            **{name: part_data[name] for name in ("key", "number", "title", "guidance")},
        )
        questions = []
        for question in part_data["questions"]:
            question_position += 1
            questions.append(
                TemplateQuestion(
                    template=template, part=part, position=question_position, **question
                )
            )
        TemplateQuestion.objects.bulk_create(questions)
    return template


def store_previewed(previewed: ImportPreview) -> PlanTemplate:
    """Do what the preview said. A published or used version is never rewritten."""
    if previewed.outcome is Outcome.UNCHANGED:
        return previewed.existing
    try:
        with transaction.atomic():
            if previewed.outcome is Outcome.REPLACE_DRAFT:
                previewed.existing.delete()
            return _create(previewed.definition)
    except (IntegrityError, ProtectedError) as error:
        raise DefinitionError(
            [
                Problem(
                    TEMPLATE,
                    "the templates changed while this file was imported (another import or a "
                    "new plan): import it again to see what it will do now",
                )
            ]
        ) from error


def import_preview(*, raw: bytes, loaded_for: Commissioner | None = None) -> ImportPreview:
    """What importing a definition file's bytes will do; nothing is stored."""
    return preview(parse(raw), loaded_for=loaded_for)


def import_confirm(
    *, raw: bytes, loaded_for: Commissioner | None = None
) -> tuple[PlanTemplate, ImportPreview]:
    """Import a previewed file: it is checked again against the templates as they are now,
    which may have changed since its preview, and stored as that check says."""
    previewed = import_preview(raw=raw, loaded_for=loaded_for)
    return store_previewed(previewed), previewed


def store(data: dict) -> PlanTemplate:
    """Check and store a definition, or refuse it whole with every problem listed."""
    return store_previewed(preview(data))


def preview_file(path: Path) -> ImportPreview:
    return preview(parse(read_file(path)))


def load_file(path: Path) -> PlanTemplate:
    return store_previewed(preview_file(path))


def load_all() -> list[PlanTemplate]:
    return [load_file(path) for path in sorted(DEFINITIONS_DIR.glob("*.yaml"))]


def new_draft_version(template: PlanTemplate, *, version_label: str) -> PlanTemplate:
    """A draft copy of a template, to edit into its next version; the original never changes."""
    data = export(template)
    data.update(
        slug=f"{template.family}-{slugify(version_label)}"[:50],
        version_label=version_label,
        status=PlanTemplate.Status.DRAFT,
        version_date=None,
    )
    return store(data)


# --- Writing --------------------------------------------------------------------------------------


def dump(template: PlanTemplate) -> str:
    return yaml.safe_dump(export(template), sort_keys=False, allow_unicode=True, width=100)


def question_summary(question: TemplateQuestion) -> dict:
    """What identifies a question and who answers it, as definition files and exports say it."""
    return {
        "key": question.key,
        "number": question.number,
        "title": question.title,
        "completed_by": question.party or question.completed_by,
        "required": question.required,
        "kind": question.kind,
    }


def export(template: PlanTemplate) -> dict:
    """The definition of a stored template, in the same format as the files."""
    parts = []
    for part in parts_with_questions(template):
        questions = []
        for question in part.questions.all():
            item = question_summary(question)
            for name in ("note_ref", "note", "prompts", "columns", "prefill", "parameters"):
                if getattr(question, name):
                    item[name] = getattr(question, name)
            questions.append(item)
        parts.append(
            {
                "key": part.key,
                "number": part.number,
                "title": part.title,
                "guidance": part.guidance,
                "questions": questions,
            }
        )
    return {
        "slug": template.slug,
        "family": template.family,
        "issuer": template.issuer.slug,
        "name": template.name,
        "version_label": template.version_label,
        "version_date": template.version_date.isoformat() if template.version_date else None,
        "status": template.status,
        "return_instructions": template.return_instructions,
        "approved_by": template.approved_by,
        "parties": template.parties,
        # A file writes numbers as text: steps are stored as numbers.
        "signatories": [
            {**signatory, "step": str(signatory["step"])} for signatory in template.signatories
        ],
        "parts": parts,
    }
