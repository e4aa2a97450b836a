"""Malformed plan template definition files, each with the located message it must be refused
with, fed to both the admin import page and the load_templates command."""

import copy
import json
from dataclasses import dataclass

import yaml

from plans import services, template_files
from tests.factories import CommissionerFactory, ConsortiumFactory
from tests.plan_factories import template_definition

ISSUER = "northbrook-pct"
QUESTION_B1 = ("parts", 1, "questions", 0)
QUESTION_A1 = ("parts", 0, "questions", 0)


def lettered_definition() -> dict:
    """A valid published form lettered like a second PCT's (parts A-C, questions A1, B2 ...)."""
    data = template_definition(questions=5, issuer=ISSUER, family="northbrook-plan")
    for part, letter in zip(data["parts"], "ABC", strict=True):
        part["number"] = letter
        for position, question in enumerate(part["questions"], start=1):
            question["number"] = f"{letter}{position}"
    return data


def published_with_a_plan() -> None:
    """The lettered form imported, published, and used by one plan."""
    pct = CommissionerFactory(slug=ISSUER)
    template = template_files.store(lettered_definition())
    services.plan_create(
        consortium=ConsortiumFactory(commissioner=pct),
        template=template,
        period="2007/08",
        title="Northbrook plan",
    )


def text(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def changed(*edits: tuple) -> bytes:
    """The lettered form with each ``(path..., value)`` set, or deleted where value is DELETE."""
    data = copy.deepcopy(lettered_definition())
    for *path, value in edits:
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return text(data).encode()


def replaced(old: str, new: str) -> bytes:
    """The lettered form's text with one passage replaced, for what YAML itself must refuse."""
    original = text(lettered_definition())
    assert old in original
    return original.replace(old, new, 1).encode()


def as_kind(kind: str, parameters) -> bytes:
    """The lettered form with question B1 of ``kind``, given ``parameters``."""
    return changed((*QUESTION_B1, "kind", kind), (*QUESTION_B1, "parameters", parameters))


def json_text() -> str:
    """The lettered form written as JSON, one field a line."""
    return json.dumps(lettered_definition(), indent=1)


def line_of(passage: str) -> int:
    """The line of the lettered form's YAML text where ``passage`` first is."""
    original = text(lettered_definition())
    return original[: original.index(passage)].count("\n") + 1


DELETE = object()
BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@dataclass(frozen=True)
class Malformed:
    id: str
    content: bytes
    message: str  # the refusal's text must hold this, location first
    file_name: str = "northbrook.yaml"
    published_first: bool = False  # the lettered form is imported and used by a plan first


def cases() -> list[Malformed]:
    valid = text(lettered_definition())
    return [
        # Dates
        Malformed(
            "date-not-iso",
            changed(("version_date", "01/05/2007")),
            "Template: 'version_date' '01/05/2007' must be a date written YYYY-MM-DD",
        ),
        Malformed(
            "date-not-in-the-calendar",
            changed(("version_date", "2007-02-30")),
            "Template: 'version_date' 2007-02-30 is not a date in the calendar",
        ),
        # Lengths against the model fields
        Malformed(
            "question-number-too-long",
            changed((*QUESTION_B1, "number", "B1" + "0" * 25)),
            "Part B, question 'question-1': 'number' is 27 characters long; at most 20 fit",
        ),
        Malformed(
            "part-title-too-long",
            changed(("parts", 1, "title", "T" * 301)),
            "Part B: 'title' is 301 characters long; at most 300 fit",
        ),
        Malformed(
            "name-too-long",
            changed(("name", "N" * 201)),
            "Template: 'name' is 201 characters long; at most 200 fit",
        ),
        Malformed(
            "slug-too-long",
            changed(("slug", "s" * 51)),
            "Template: 'slug' is 51 characters long; at most 50 fit",
        ),
        # Allowed values
        Malformed(
            "unknown-kind",
            changed((*QUESTION_B1, "kind", "number")),
            "Part B, question B1: unknown kind 'number'; the kinds are: rich_text, table,",
        ),
        Malformed(
            "unknown-completed-by",
            changed((*QUESTION_B1, "completed_by", "practice")),
            "Part B, question B1: unknown completed_by 'practice'; the completed_by values "
            "are: consortium, pct, both",
        ),
        Malformed(
            "unknown-status",
            changed(("status", "live")),
            "Template: unknown status 'live'; the statuses are: draft, published, retired",
        ),
        Malformed(
            "unknown-issuer",
            changed(("issuer", "nowhere-pct")),
            "Template: issuer 'nowhere-pct' is not a known PCT; the PCTs are: ",
        ),
        Malformed(
            "unknown-signatory-side",
            changed(("signatories", 0, "side", "practice")),
            "Signatory 1 ('Chair'): unknown side 'practice'; the sides are: consortium, pct",
        ),
        Malformed(
            "signatory-role-of-the-old-format",
            changed(("signatories", [{"role": "consortium_executive_chair", "title": "Chair"}])),
            "Signatory 1 ('Chair'): unknown field 'role'; the fields of a signatory are: key, "
            "title, side, body, position, step",
        ),
        Malformed(
            "signatory-step-not-a-number",
            changed(("signatories", 0, "step", "first")),
            "Signatory 1 ('Chair'): 'step' 'first' must be a whole number, such as 1 or 2",
        ),
        Malformed(
            "signatory-step-skipped",
            changed(
                (
                    "signatories",
                    [
                        {"title": "Chair", "side": "consortium", "position": "Chair", "step": "1"},
                        {"title": "Chief", "side": "pct", "position": "Chief", "step": "3"},
                    ],
                )
            ),
            "Signatory 2 ('Chief'): 'step' 3 does not follow on: steps go 1, 2, 3 in the order "
            "of the block, and several signatories of one step sign in any order; write 1 "
            "(signing with the one before) or 2",
        ),
        Malformed(
            "signatory-position-without-letters",
            changed(("signatories", 0, "position", "—")),
            "Signatory 1 ('Chair'): give it a 'key' of letters and digits: its position has none",
        ),
        Malformed(
            "nine-signatories",
            changed(
                (
                    "signatories",
                    [
                        {"title": f"Member {n}", "side": "pct", "position": f"Member {n}"}
                        for n in range(1, 10)
                    ],
                )
            ),
            "Template: 'signatories' lists 9; a sign-off block has at most 8",
        ),
        Malformed(
            "unknown-prefill",
            changed((*QUESTION_A1, "prefill", "doctors")),
            "Part A, question A1: unknown prefill 'doctors' (did you mean 'directors'?); the "
            "prefills are: practices,",
        ),
        # Unknown fields and missing keys
        Malformed(
            "unknown-template-field",
            changed(("colour", "blue")),
            "Template: unknown field 'colour'; the fields of a template are: slug, family,",
        ),
        Malformed(
            "misspelt-question-field",
            replaced("    title: Question 2\n", "    titel: Question 2\n"),
            "Part B, question B2: unknown field 'titel' (did you mean 'title'?)",
        ),
        Malformed(
            "question-without-key",
            changed((*QUESTION_B1, "key", DELETE)),
            "Part B, question B1: 'key' is missing",
        ),
        Malformed(
            "column-without-key",
            changed((*QUESTION_A1, "columns", 1, "key", DELETE)),
            "Part A, question A1, column 2: 'key' is missing",
        ),
        Malformed(
            "file-name-with-spaces-and-no-slug",
            changed(("slug", DELETE)),
            "Template: 'slug' is missing: give the template's own slug",
            file_name="Northbrook plan 2007 (final).yaml",
        ),
        # Duplicate keys
        Malformed(
            "duplicate-column-key",
            changed((*QUESTION_A1, "columns", 1, "key", "name")),
            "Part A, question A1, column 2: duplicate column key 'name' "
            "(also Part A, question A1, column 1)",
        ),
        Malformed(
            "duplicate-signatory-position",
            changed(
                (
                    "signatories",
                    [
                        {
                            "title": "Director of Finance",
                            "side": "pct",
                            "position": "Director of Finance",
                        },
                        {"title": "Finance", "side": "pct", "position": "director of finance"},
                    ],
                )
            ),
            "Signatory 2 ('Finance'): duplicate signatory 'pct director of finance' (also "
            "Signatory 1 ('Director of Finance'))",
        ),
        Malformed(
            "duplicate-part-key",
            changed(("parts", 1, "key", "one")),
            "Part B: duplicate part key 'one' (also Part A)",
        ),
        Malformed(
            "duplicate-question-key",
            changed((*QUESTION_B1, "key", "practices")),
            "Part B, question B1: duplicate question key 'practices' (also Part A, question A1)",
        ),
        Malformed(
            "field-given-twice",
            (valid + "name: Another name\n").encode(),
            f"Line {valid.count(chr(10)) + 1}, column 1: 'name' is given twice (first on line 4)",
        ),
        # Types
        Malformed(
            "prompts-as-text",
            changed((*QUESTION_B1, "prompts", "Describe your plans")),
            "Part B, question B1: 'prompts' must be a list of texts, one '- ' line each, not "
            "the text 'Describe your plans'",
        ),
        Malformed(
            "prompt-that-is-a-mapping",
            changed((*QUESTION_B1, "prompts", ["One", {"two": "three"}])),
            "Part B, question B1: 'prompts' item 2 must be text, not a mapping",
        ),
        Malformed(
            "title-as-a-list",
            changed((*QUESTION_B1, "title", ["Question", "one"])),
            "Part B, question B1: 'title' must be text, not a list",
        ),
        Malformed(
            "title-read-as-false",
            replaced("    title: Question 2\n", "    title: no\n"),
            "Part B, question B2: 'title' must be text, not false (YAML reads yes/no/on/off/"
            "true/false as true or false: quote the text)",
        ),
        Malformed(
            "required-not-true-or-false",
            changed((*QUESTION_B1, "required", "sometimes")),
            "Part B, question B1: 'required' must be true or false",
        ),
        Malformed(
            "number-tagged-as-a-float",
            replaced("number: B1\n", "number: !!float 1.10\n"),
            "column 13: the tag tag:yaml.org,2002:float is not allowed: write the value as text",
        ),
        Malformed(
            "date-tagged-as-a-timestamp-that-is-not-one",
            (valid + "version_date: !!timestamp someday\n").encode(),
            "column 15: the tag tag:yaml.org,2002:timestamp is not allowed",
        ),
        Malformed(
            "parts-as-a-mapping",
            changed(("parts", {"one": "Part one"})),
            "Template: 'parts' must be a list of mappings, one '- ' line each, not a mapping",
        ),
        Malformed(
            "part-as-text",
            changed(("parts", 1, "Part B")),
            "Part at position 2: must be a mapping of part fields, not the text 'Part B'",
        ),
        Malformed(
            "table-without-columns",
            changed((*QUESTION_A1, "columns", DELETE)),
            "Part A, question A1: a table needs 'columns', a list of {key, label}",
        ),
        Malformed(
            "columns-on-a-text-question",
            changed((*QUESTION_B1, "columns", [{"key": "a", "label": "A"}])),
            "Part B, question B1: 'columns' is only for kind 'table'",
        ),
        Malformed(
            "part-key-with-spaces",
            changed(("parts", 1, "key", "part two")),
            "Part B: 'key' 'part two' may hold only letters, digits, '-' and '_', such as "
            "'part-two'",
        ),
        Malformed(
            "escaped-nul-character",
            changed((*QUESTION_B1, "title", "Question\x00one")),
            "Part B, question B1: 'title' holds the control character U+0000 at character 9",
        ),
        Malformed(
            "escaped-lone-surrogate",
            replaced("title: Question 1\n", 'title: "Question \\ud800"\n'),
            "Part B, question B1: 'title' holds a lone surrogate U+D800 at character 10",
        ),
        Malformed(
            "key-quoting-a-lone-surrogate-back",
            replaced("- key: question-1\n    number: B1\n", '- key: "\\ud800"\n    number: ""\n'),
            "Part B, question '\\ud800': 'key' holds a lone surrogate U+D800 at character 1",
        ),
        Malformed(
            "unknown-field-with-a-nul-in-its-name",
            (valid + '"col\\0our": blue\n').encode(),
            "Template: unknown field 'col\\u0000our'",
        ),
        # YAML itself
        # YAML and JSON syntax, said in words at the line to look at
        Malformed(
            "unclosed-bracket",
            b"slug: x\nparts: [unclosed\n",
            "File: ends before a list or mapping is closed (JSON: a ] or } is missing): the "
            "list opened with '[' on line 2 has no closing ']'",
        ),
        Malformed(
            "json-ends-before-it-is-closed",
            json_text().rstrip()[:-1].encode(),
            "File: ends before a list or mapping is closed (JSON: a ] or } is missing): the "
            "mapping opened with '{' on line 1 has no closing '}'",
            file_name="northbrook.json",
        ),
        Malformed(
            "json-comma-missing",
            json_text().replace('"family"', '"colour": "blue"\n "family"', 1).encode(),
            "Line 3 or 4: a ',' or a '}' is missing before text (or a ':' after a name): the "
            "mapping opened with '{' on line 1 separates its items with commas",
            file_name="northbrook.json",
        ),
        Malformed(
            "unclosed-quote-read-on-to-the-next-line",
            replaced(
                "name: Test commissioning plan\nversion_label: v5\n",
                'name: "Test commissioning plan\nversion_label: "v5"\n',
            ),
            'Line 4 or 5: a quoted text is not closed (a " with no closing "): the quote opened '
            "on line 4 runs on to line 5, where YAML cannot read on",
        ),
        Malformed(
            "unclosed-quote-to-the-end",
            (valid + "approved_by: 'the board\n").encode(),
            f"Line {valid.count(chr(10)) + 1}: a quoted text is not closed (a ' with no closing "
            "'): it runs on to the end of the file",
        ),
        Malformed(
            "line-indented-with-a-tab",
            replaced("    title: Question 2\n", "\ttitle: Question 2\n"),
            f"Line {line_of('title: Question 2')}: starts with a tab: indent with spaces",
        ),
        Malformed(
            "list-item-indented-out-of-line",
            replaced("- key: two\n", " - key: two\n"),
            f"Line {line_of('- key: two')}: is indented by 1 space, which does not line up with "
            "the lines above it (the mapping that starts on line 1 is indented by 0 spaces): the "
            "items of one list, and the fields of one mapping, start in the same column",
        ),
        Malformed(
            "bad-indentation",
            b"slug: x\n  family: y\n",
            "Line 1 or 2: line 2 is indented more than the field above it, so YAML reads it as "
            "more of that field's text",
        ),
        Malformed(
            "colon-and-space-in-text",
            replaced("title: Question 2\n", "title: Question 2: costs\n"),
            f"Line {line_of('title: Question 2')}, column 22: the text holds ': ' (a colon and a "
            "space), which YAML reads as a new field: put the whole text in quotes",
        ),
        Malformed(
            "field-without-a-colon",
            replaced("    title: Question 2\n", "    title Question 2\n"),
            f"Line {line_of('title: Question 2')} or {line_of('title: Question 2') + 1}: a field "
            "needs a ':' and a space after its name ('name: value')",
        ),
        Malformed(
            "unknown-escape-in-double-quotes",
            replaced("title: Question 2\n", 'title: "C:\\plans\\two"\n'),
            "a \\ between double quotes starts an escape such as \\n, and this one is not known: "
            "write \\\\ for a backslash, or put the text in single quotes",
        ),
        Malformed(
            "value-starting-with-a-star",
            replaced("title: Question 2\n", "title: *Important* question\n"),
            "YAML reads a value that starts with * or & as an alias or anchor, which a "
            "definition does not use: put the text in quotes",
        ),
        Malformed(
            "text-after-a-closing-quote",
            replaced("title: Question 2\n", 'title: "Question" two\n'),
            "text follows the closing quote: put the whole text in the quotes",
        ),
        Malformed(
            "two-documents",
            (valid + "---\n" + valid).encode(),
            f"Line {valid.count(chr(10)) + 1}: a second document starts here: a file holds one",
        ),
        Malformed(
            "python-object-tag",
            (valid + "extra: !!python/object/apply:os.system [echo hello]\n").encode(),
            "the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        ),
        Malformed(
            "billion-laughs",
            BILLION_LAUGHS,
            "Line 2, column 8: aliases (*name) are not allowed: write the value out",
        ),
        Malformed(
            "five-thousand-nested-brackets",
            b"parts: " + b"[" * 5000 + b"]" * 5000 + b"\n",
            "Line 1, column 39: nested more than 32 levels deep",
        ),
        Malformed(
            "five-megabytes",
            (valid + "# padding\n" * 500_000).encode(),
            "File: is 5.0 MB; a definition file may be at most 1.0 MB",
        ),
        Malformed(
            "control-character",
            replaced("title: Question 1\n", "title: Question\x07 1\n"),
            "character U+0007 is not allowed in a YAML file",
        ),
        Malformed(
            "not-utf-8",
            valid.replace("Question 1", "Qu\u00e9stion 1").encode("latin-1"),
            "is not UTF-8 text: save the file as UTF-8",
        ),
        # Markup: refused, never cleaned away silently
        Malformed(
            "script-and-img-in-guidance",
            changed(
                (
                    "parts",
                    1,
                    "guidance",
                    "<p>Read this.<script>alert('g')</script><img src=x onerror=alert(1)></p>",
                )
            ),
            "Part B: 'guidance' holds <script>, <img>, which a form cannot hold; the allowed "
            "tags are: p, ul, ol, li, strong, em, h3, h4, a, br",
        ),
        Malformed(
            "table-in-guidance",
            changed(
                (
                    "parts",
                    1,
                    "guidance",
                    "<table><tr><td>Cell A</td><td>Cell B</td></tr></table><h2>Big heading</h2>",
                )
            ),
            "Part B: 'guidance' holds <table>, <tr>, <td>, <h2>, which a form cannot hold",
        ),
        Malformed(
            "style-and-onclick-in-a-note",
            changed((*QUESTION_B1, "note", "<p style='color:red' onclick='x()'>Read</p>")),
            "Part B, question B1: 'note' holds the attribute style on <p>, onclick on <p>, "
            "which a form cannot hold; only <a> takes href and title",
        ),
        Malformed(
            "javascript-link",
            changed(("return_instructions", "<p><a href=' javascript:alert(1)'>Send</a></p>")),
            "Template: 'return_instructions' links to ' javascript:alert(1)': a link starts "
            "http:, https: or mailto:",
        ),
        Malformed(
            "comment-in-guidance",
            changed(("parts", 0, "guidance", "<p>Read</p><!-- draft -->")),
            "Part A: 'guidance' holds a comment (<!-- -->), which a form does not keep",
        ),
        Malformed(
            "script-in-the-name",
            changed(("name", "Northbrook <script>alert('n')</script> plan")),
            "Template: 'name' holds '<script>', which is HTML; this is plain text, shown as "
            "written: take the tag out",
        ),
        Malformed(
            "script-in-a-signatory-title",
            changed(("signatories", 0, "title", "Chair <script>alert('s')</script>")),
            "Signatory 1 ('Chair <script>alert('s')</script>'): 'title' holds '<script>', "
            "which is HTML",
        ),
        Malformed(
            "script-in-a-question-title",
            changed((*QUESTION_B1, "title", "Schemes <script>alert('t')</script>")),
            "Part B, question B1: 'title' holds '<script>', which is HTML",
        ),
        Malformed(
            "tag-in-a-column-label",
            changed((*QUESTION_A1, "columns", 0, "label", "Practice<img src=x>")),
            "Part A, question A1, column 1: 'label' holds '<img src=x>', which is HTML",
        ),
        Malformed(
            "tag-in-a-prompt",
            changed((*QUESTION_B1, "prompts", ["Say <b>why</b>"])),
            "Part B, question B1: 'prompts' item 1 holds '<b>', which is HTML",
        ),
        Malformed(
            "tag-in-a-parameter-label",
            as_kind("des_funding", {"labels": {"caption": "<em>Allowance</em>"}}),
            "Part B, question B1: parameter 'labels' 'caption' holds '<em>', which is HTML",
        ),
        # Rates, labels and parties (docs/decisions/0400, 0403)
        Malformed(
            "parameter-unknown",
            as_kind("des_funding", {"rate": "1.50"}),
            "Part B, question B1: unknown parameter 'rate'; the parameters of kind "
            "'des_funding' are: rate_per_patient (the payment per patient, in pounds)",
        ),
        Malformed(
            "parameter-rate-not-a-number",
            as_kind("des_funding", {"rate_per_patient": "£1.50"}),
            "Part B, question B1: parameter 'rate_per_patient' '£1.50' is not a number; "
            'write it like "1.50"',
        ),
        Malformed(
            "parameter-share-over-100",
            as_kind("des_funding", {"practices_share_percent": "160"}),
            "Part B, question B1: parameter 'practices_share_percent' is 160%; a share is at "
            "most 100%",
        ),
        Malformed(
            "parameter-unknown-label",
            as_kind("des_funding", {"labels": {"reward": "Reward payment"}}),
            "Part B, question B1: unknown label 'reward'; the labels are: population (the "
            "population's input)",
        ),
        Malformed(
            "parameters-on-a-text-question",
            changed((*QUESTION_B1, "parameters", {"rate_per_patient": "1.50"})),
            "Part B, question B1: 'parameters' are not used by kind 'rich_text'",
        ),
        Malformed(
            "parameters-not-a-mapping",
            as_kind("des_funding", "1.50"),
            "Part B, question B1: 'parameters' must be a mapping, one 'name: value' line each",
        ),
        Malformed(
            "parameter-scale-not-increasing",
            as_kind(
                "freed_up_resources",
                {
                    "scale": [
                        {"freed_up": "300000", "returned": "20000"},
                        {"freed_up": "200000", "returned": "0"},
                    ]
                },
            ),
            "Part B, question B1: parameter 'scale', row 2: The rows must be in increasing "
            "order of resources freed up",
        ),
        Malformed(
            "parameter-scale-row-missing-its-return",
            as_kind("freed_up_resources", {"scale": [{"freed_up": "100000"}]}),
            "Part B, question B1: parameter 'scale', row 1: 'returned' is missing",
        ),
        Malformed(
            "parameter-case-question-twice",
            as_kind(
                "business_cases",
                {"questions": [{"key": "need", "label": "Need"}, {"key": "need", "label": "Cost"}]},
            ),
            "Part B, question B1: parameter 'questions', row 2: key 'need' is used twice",
        ),
        Malformed(
            "parameter-window-not-a-choice",
            as_kind("milestones", {"window": "calendar_year"}),
            "Part B, question B1: parameter 'window' is 'calendar_year'; the choices are: "
            "plan_year, any",
        ),
        Malformed(
            "party-with-a-built-in-key",
            changed(("parties", [{"key": "pct", "label": "The PCT", "edited_by": "pct"}])),
            "Party 1 ('The PCT'): 'pct' is built in (consortium, pct, both): give the party a "
            "key of its own",
        ),
        Malformed(
            "party-edited-by-nobody-known",
            changed(
                ("parties", [{"key": "practice", "label": "Each practice", "edited_by": "gp"}])
            ),
            "Party 1 ('Each practice'): unknown edited_by 'gp'",
        ),
        Malformed(
            "party-named-but-not-defined",
            changed(
                ("parties", [{"key": "practice", "label": "Each practice", "edited_by": "both"}]),
                (*QUESTION_B1, "completed_by", "treasurer"),
            ),
            "Part B, question B1: unknown completed_by 'treasurer'; the completed_by values "
            "are: consortium, pct, both, practice",
        ),
        # Not a template at all
        Malformed(
            "top-level-list",
            b"- slug: northbrook-plan\n- family: northbrook-plan\n",
            "File: must be a mapping of template fields (slug, family, issuer, name, "
            "version_label, version_date, status, return_instructions, approved_by, parties, "
            "signatories, parts), not a list",
        ),
        Malformed("top-level-text", b"A plan template\n", "File: must be a mapping"),
        Malformed("empty-file", b"", "File: must be a mapping of template fields"),
        # What is already stored
        Malformed(
            "changed-published-version",
            changed(("name", "Northbrook plan, revised")),
            "Template: version v5 is published and used by 1 plan: give this file a new version "
            "(a new slug and version_label) to change it; it differs in: name",
            published_first=True,
        ),
        Malformed(
            "same-family-and-version-other-slug",
            changed(("slug", "northbrook-plan-copy")),
            "Template: family 'northbrook-plan' already has version 'v5' as template "
            "'northbrook-plan-v5': give this file a new version_label, or slug "
            "'northbrook-plan-v5' to update that version",
            published_first=True,
        ),
    ]
