"""A filled form read from Word: which text answers which question of the plan's form.

``word_import_preview`` reads the file (plans/word_files.py) and finds the form in it: part and
question headings by number and by title (a renumbered question is found by its title), with
"(For completion by ...)", "(To be completed by ...)" and explanatory-note markers ignored. The
form's own words (part guidance, prompts, return instructions, the sign-off block) are
recognised and left out; this service's own export is read by its Word headings alone
(docs/decisions/0460-own-word-export-read-by-its-headings.md). Everything else becomes a
*piece*: the text or table found under a question, or text that matched nothing, kept and
listed. Nothing is written: the preview is
plain JSON the caller keeps (the session) until the editor applies it with ``word_import_apply``
(docs/decisions/0410-word-import-preview-and-apply.md).
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from consortia.permissions import Perm, allowed

from . import finance, history, selectors, services
from .content import table_rows as aligned
from .errors import AnswerInvalid, StaleAnswer
from .kinds.base import KindContext
from .kinds.savings_target import plan_savings
from .models import Answer, Plan, QuestionKind, TemplatePart, TemplateQuestion
from .presenters import answer_state
from .sanitise import clean_html, html_to_text, plain_text
from .structured import kind_for
from .word_files import (
    Block,
    Deadline,
    WordRefused,
    blocks_of,
    docx_html,
    refuse_by_name,
    written_here,
)
from .word_writing import part_heading, question_heading
from .workflow import CONSORTIUM_EDITS_IN, may_edit_answer, status_refusal

HIGH, MEDIUM, LOW = "high", "medium", "low"
CONFIDENCE_LABELS = {HIGH: "Sure", MEDIUM: "Probably", LOW: "Unsure"}
HEADING_MAX_CHARACTERS = 400

# Curly quotes and en/em dashes read as their plain forms.
_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--")
_COMPLETION = re.compile(r"\(\s*(?:for completion by|to be completed by)[^)]*\)", re.I)
_NOTE_MARK = re.compile(
    r"\(\s*\d{1,2}\s*\)\s*(?:see explanatory notes?)?|see explanatory notes?", re.I
)
# A question numbered by the range of the form's paragraphs it covers reads "2-5" (BANES).
_NUMBER = re.compile(
    r"^\s*(?:section\s+)?(\d{1,2}(?:\.\d{1,2}|\s*[-\u2013]\s*\d{1,2})?)\s*[.):]?\s+(?=\S)", re.I
)
# "1." on its own line, its title on the next ("INTRODUCTION"), as Word's numbering exports.
_NUMBER_ALONE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})?\.\s*$")
# A line that says only which draft of the document this is ("Draft version 1 (22nd June
# 2007)", "[May 2006 Version 2.0]"): its words are version words, numbers and dates alone.
_VERSION_WORD = re.compile(r"(?i)^(?:draft|version|revision|issue|v\d[\d.]*)$")
_MONTH = re.compile(
    r"(?i)^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$"
)
_DATE_WORD = re.compile(r"(?i)^(?:\d{1,4}(?:st|nd|rd|th)?|\d{1,4}(?:[./-]\d{1,4})+|dated|updated)$")
_VERSION_LINE_SPLIT = re.compile(r"[\s()\[\],;:\u2013\u2014]+")


def _is_version_line(text: str) -> bool:
    words = [w.strip(".-") for w in _VERSION_LINE_SPLIT.split(text) if w.strip(".-")]
    return (
        0 < len(words) <= 10
        and any(_VERSION_WORD.match(w) or _MONTH.match(w) for w in words)
        and all(_VERSION_WORD.match(w) or _MONTH.match(w) or _DATE_WORD.match(w) for w in words)
    )


def _is_table_row(text: str) -> bool:
    """A table's row as text ("| | 4.3 | Develop a PBC ... | 5% |"), as a table pasted or saved
    as plain text reads: its cells are an answer's, never a heading."""
    return text.count("|") >= 2


def never_a_heading(text: str) -> bool:
    """A document's version or date line, or a table's row, reads like a title and may share
    its words with a question's, but it starts no question or part."""
    return _is_version_line(text) or _is_table_row(text)


def normalised(text: str) -> str:
    text = html.unescape(text or "").translate(_QUOTES).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w£%]+", " ", text).split())


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def heading_parts(text: str) -> tuple[str, str]:
    """("4.2", "services to be commissioned") from a heading as the form prints it."""
    text = _NOTE_MARK.sub(" ", _COMPLETION.sub(" ", text))
    match = _NUMBER.match(text)
    number = re.sub(r"\s*[-\u2013]\s*", "-", match.group(1)) if match else ""
    title = text[match.end() :] if match else text
    return number, normalised(title)


@dataclass
class FormIndex:
    """The plan's form, ready to be looked for in a document."""

    questions: list[TemplateQuestion]
    parts: list
    titles: dict[int, str] = field(default_factory=dict)
    tokens: dict[int, set[str]] = field(default_factory=dict)
    prompts: dict[int, list[str]] = field(default_factory=dict)
    form_text: set[str] = field(default_factory=set)
    _form_words: dict[str, set[str]] | None = None
    part_titles: dict[str, str] = field(default_factory=dict)
    # Which questions share a word, a number or a whole title with a heading: only those are
    # compared, so a long document costs little more per paragraph than a short one.
    by_token: dict[str, set[int]] = field(default_factory=dict)
    by_number: dict[str, set[int]] = field(default_factory=dict)
    by_title: dict[str, set[int]] = field(default_factory=dict)
    # The Heading 1 and 2 this service's Word export writes for each part and question.
    written_parts: dict[str, TemplatePart] = field(default_factory=dict)
    written_questions: dict[str, TemplateQuestion] = field(default_factory=dict)

    @classmethod
    def of(cls, template) -> FormIndex:
        parts = list(template.parts.order_by("position"))
        questions = list(template.questions.select_related("part").order_by("position"))
        index = cls(questions=questions, parts=parts)
        for question in questions:
            title = normalised(question.title)
            index.titles[question.pk] = title
            index.tokens[question.pk] = _significant(title) or set(title.split())
            index.prompts[question.pk] = [normalised(p) for p in question.prompts or []]
            index.form_text.update(index.prompts[question.pk])
            index.form_text.update(_paragraphs(question.note))
        for part in parts:
            index.part_titles[part.key] = normalised(part.title)
            index.form_text.update(_paragraphs(part.guidance))
        index.form_text.update(_paragraphs(template.return_instructions))
        index.form_text.update(normalised(s.get("title", "")) for s in template.signatories or [])
        index.form_text.update({"name", "date", "signature", "name date", ""})
        index.form_text.discard("")
        for i, question in enumerate(questions):
            for token in index.tokens[question.pk]:
                index.by_token.setdefault(token, set()).add(i)
            index.by_number.setdefault(question.number, set()).add(i)
            index.by_title.setdefault(index.titles[question.pk], set()).add(i)
            index.written_questions.setdefault(normalised(question_heading(question)), question)
        for part in parts:
            index.written_parts.setdefault(normalised(part_heading(part)), part)
        return index

    def _candidates(self, number: str, title: str, words: set[str]) -> list[int]:
        shared: dict[int, int] = {}
        for token in words:
            for i in self.by_token.get(token, ()):
                shared[i] = shared.get(i, 0) + 1
        found = {
            i for i, count in shared.items() if count * 2 >= len(self.tokens[self.questions[i].pk])
        }
        found |= self.by_title.get(title, set())
        if number:
            found |= self.by_number.get(number, set())
        return sorted(found)

    def is_heading(self, text: str) -> bool:
        return self.question_for(text)[0] is not None or self.part_for(text) is not None

    def columns_named(self, header: list[str]) -> int:
        """How many cells of a table's first row name columns of one table question."""
        return _columns_named(header, self)[0]

    def part_for(self, text: str):
        if len(text) > 120 or never_a_heading(text):
            return None
        number, title = heading_parts(text)
        for part in self.parts:
            target = self.part_titles[part.key]
            if title == target or (
                number == part.number and similarity(title, target) >= 0.8 and title
            ):
                return part
        return None

    def question_for(self, text: str, part=None) -> tuple[TemplateQuestion | None, str]:
        """The question a heading names and how sure that is, or (None, ""). A question with
        a title of a word or two ("Name") is looked for only in its own part, when known."""
        if len(text) > HEADING_MAX_CHARACTERS or never_a_heading(text):
            return None, ""
        number, title = heading_parts(text)
        if not title:
            return None, ""
        words = _significant(title)
        best, best_score, best_confidence = None, 0.0, ""
        for i in self._candidates(number, title, words):
            question = self.questions[i]
            target = self.titles[question.pk]
            same_number = bool(number) and number == question.number
            if len(target.split()) < 3:
                # "Name" and "Directors": only the whole text, never a fragment.
                if part is not None and question.part_id != part.id and not same_number:
                    continue
                score = 1.0 if title == target else 0.0
            elif not same_number and len(words & self.tokens[question.pk]) * 2 < len(
                self.tokens[question.pk]
            ):
                continue
            else:
                score = similarity(title, target)
                if _names_within(target, title) or (len(words) >= 3 and title in target):
                    score = max(score, 0.8)
            if (same_number and score >= 0.75) or score >= 0.9:
                confidence = HIGH
            elif score >= 0.75 or (same_number and score >= 0.6):
                confidence = MEDIUM
            elif same_number and score >= 0.4:
                confidence = LOW  # the number alone: shown, not ticked
            else:
                continue
            rank = score + (0.2 if same_number else 0)
            if rank > best_score:
                best, best_score, best_confidence = question, rank, confidence
        return best, best_confidence

    def is_form_text(self, text: str) -> bool:
        words = normalised(text)
        if words in self.form_text:
            return True
        if len(words) < 25:
            return False
        if self._form_words is None:
            self._form_words = {}
            for known in self.form_text:
                for token in _significant(known):
                    self._form_words.setdefault(token, set()).add(known)
        significant = _significant(words)
        candidates: dict[str, int] = {}
        for token in significant:
            for known in self._form_words.get(token, ()):
                candidates[known] = candidates.get(known, 0) + 1
        if (
            _NUMBER.match(text)
            and len(words) < 300
            and any(
                len(known) >= 25 and known in words and len(known) >= 0.6 * len(words)
                for known in candidates
            )
        ):
            return True  # "2.3 DacCom Leads - " and the prompt printed after it
        return any(
            abs(len(words) - len(known)) < 0.2 * len(words)
            and shared >= 0.8 * len(_significant(known))
            and similarity(words, known) >= 0.9
            for known, shared in candidates.items()
        )


# Words too common to tell two passages apart.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "what",
        "which",
        "will",
        "with",
    ]
)


def _names_within(target: str, title: str) -> bool:
    """Whether a line names a question's title within a few words of its own ("Freed up
    resources for 07/08"), not in passing in a sentence of the answer ("4. Practices are
    allowed to use ... freed up resources for reinvestment in patient care")."""
    extra = len(title.split()) - len(target.split())
    return target in title and extra <= len(target.split()) + 2


def _significant(words: str) -> set[str]:
    return set(words.split()) - _COMMON


def _paragraphs(markup: str) -> set[str]:
    """The separate paragraphs, list items and headings of a piece of the form's HTML."""
    found = set()
    for chunk in re.split(r"(?i)</?(?:p|li|h[1-6]|ul|ol|br)\b[^>]*>", markup or ""):
        text = html_to_text(chunk)
        # "Section 1 - DacCom Details; Section 2 - ..." lists the form's own subheadings.
        for words in [text, *text.split(";")]:
            if normalised(words):
                found.add(normalised(words))
                found.add(heading_parts(words)[1])
    return found


# --- pieces -----------------------------------------------------------------------------------


@dataclass
class Piece:
    """Text or a table found in the document, and the question it looks like it answers."""

    id: int
    key: str = ""
    confidence: str = ""
    heading: str = ""
    position: int = 0
    html: str = ""
    table: list[list[str]] = field(default_factory=list)
    reason: str = ""

    @classmethod
    def from_json(cls, data: dict) -> Piece:
        return cls(
            id=int(data["id"]),
            key=str(data.get("key") or ""),
            confidence=str(data.get("confidence") or ""),
            heading=str(data.get("heading") or ""),
            position=int(data.get("position") or 0),
            html=str(data.get("html") or ""),
            table=[[str(cell) for cell in row] for row in data.get("table") or []],
            reason=str(data.get("reason") or ""),
        )

    @property
    def text(self) -> str:
        if self.table:
            return " | ".join(" ".join(row) for row in self.table)
        return html_to_text(self.html)


_COMPLETION_LINE = re.compile(r"\((?:for completion by|to be completed by)", re.I)
_DOTTED_NUMBER = re.compile(r"^\s*\d{1,2}\.\d{1,2}\s+\S")


def _looks_like_a_heading(block: Block) -> bool:
    """A heading of the form's kind: Word's Heading 1-3, or a short numbered line ("7.1 How
    will ...") or one that says who completes it. Answers' own headings are Heading 4-6."""
    if never_a_heading(block.text):
        return False
    if block.kind == "heading":
        return block.html[:3] in ("<h1", "<h2", "<h3")
    return (
        block.kind == "text"
        and len(block.text) < 300
        and bool(_DOTTED_NUMBER.match(block.text) or _COMPLETION_LINE.search(block.text))
    )


def _is_column_label(text: str, question: TemplateQuestion | None) -> bool:
    if question is None or not takes_tables(question):
        return False
    labels = {normalised(column.get("label", "")) for column in question.columns or []}
    return normalised(text) in labels - {""}


def _is_word_heading(block: Block) -> bool:
    return block.kind == "heading" and block.html[:3] in ("<h1", "<h2", "<h3")


def _answer_html(block: Block) -> str:
    if block.kind == "heading":
        level = block.html[2:3] if block.html.startswith("<h") else "1"
        tag = {"4": "h2", "5": "h3", "6": "h4"}.get(level, "h4")
        return f"<{tag}>{html.escape(block.text, quote=False)}</{tag}>"
    return block.html


def _split_pieces(
    blocks: list[Block], index: FormIndex, deadline: Deadline, *, exported: bool = False
):
    """The pieces of the document and how many paragraphs of the form's own text it holds.

    In this service's own export (``exported``) the form's parts and questions are exactly its
    Word Heading 1 and 2 and the form's words are already left out by style, so only a heading
    can start a question: a numbered answer paragraph that shares words with a question's title
    ("11. Patient and public involvement in ...") stays in its own answer."""
    pieces: list[Piece] = []
    form_text_count = 0
    question: TemplateQuestion | None = None
    confidence = ""
    heading = ""
    current: Piece | None = None
    pending_number = ""

    part = None
    list_of: dict[int, int] = {}  # piece id: the Word list its html ends in

    def start(key: str, how_sure: str, where: str, position: int) -> Piece:
        piece = Piece(id=len(pieces) + 1, key=key, confidence=how_sure, heading=where)
        piece.position = position
        pieces.append(piece)
        return piece

    def append(piece: Piece, block: Block) -> None:
        if block.kind != "item":
            piece.html += _answer_html(block)
            list_of.pop(piece.id, None)
            return
        close = f"</{block.list_tag}>"
        if list_of.get(piece.id) == block.list_id and piece.html.endswith(close):
            piece.html = piece.html[: -len(close)] + block.html + close
        else:
            piece.html += f"<{block.list_tag}>{block.html}{close}"
        list_of[piece.id] = block.list_id

    for block in blocks:
        if block.position % 200 == 0:
            deadline.check()
        if block.kind != "table" and (_is_word_heading(block) or not exported):
            label = f"{pending_number} {block.text}" if pending_number else block.text
            pending_number = ""
            if _NUMBER_ALONE.match(block.text):
                pending_number = block.text.strip().rstrip(".")
                continue
            # "1. Introduction" the part and "1 Introduction" its question read alike.
            written = normalised(block.text) if exported else ""
            written_part = index.written_parts.get(written) if block.html[:3] == "<h1" else None
            if written_part is None and written and written in index.written_questions:
                found, how_sure = index.written_questions[written], HIGH
            elif written_part is not None:
                found, how_sure = None, ""
            elif _is_column_label(block.text, question):
                # A flattened table's header cell ("Name" over the directors) is the table's,
                # not the one-word question of that title further up the form.
                found, how_sure = None, ""
            else:
                found, how_sure = index.question_for(label, part)
            if found is not None:
                question, confidence, heading = found, how_sure, block.text
                part = found.part
                current = None
                continue
            found_part = written_part or index.part_for(label)
            if found_part is not None:
                part, confidence, heading, current = found_part, "", block.text, None
                # The sign-off part is the sign-off block: its lines are the form's.
                question = next(
                    (q for q in index.questions if q.part_id == part.pk and not q.answerable),
                    None,
                )
                # A part whose one question bears its own title (BANES's "1 Introduction"): the
                # heading names that question too, whatever part a title line seemed to open.
                title = heading_parts(label)[1]
                same = [
                    q
                    for q in index.questions
                    if q.part_id == part.pk and q.answerable and index.titles[q.pk] == title
                ]
                if question is None and len(same) == 1:
                    question, confidence = same[0], HIGH
                continue
            if question is not None and not question.answerable and index.is_form_text(block.text):
                form_text_count += 1  # the sign-off block: signatures are not imported
                continue
            if _looks_like_a_heading(block) and not index.is_form_text(block.text):
                # A question this form does not have (a newer form's 7.1): its text is kept
                # apart and listed, never added to the answer above it.
                question, confidence, heading = None, "", block.text
                current = start("", "", heading, block.position)
                current.reason = "Under a heading that is not a question of this form."
                current.html = f"<h4>{html.escape(block.text, quote=False)}</h4>"
                continue
            if index.is_form_text(block.text):
                is_prompt = question is not None and normalised(block.text) in index.prompts.get(
                    question.pk, []
                )
                if is_prompt and len(index.prompts[question.pk]) > 1:
                    # Several prompts in one answer box: keep each as the heading of its part
                    # of the answer, as the plan pages do.
                    if current is None or current.table:
                        current = start(question.key, confidence, heading, block.position)
                    current.html += f"<h4>{html.escape(block.text, quote=False)}</h4>"
                else:
                    form_text_count += 1
                continue
        if block.kind == "table" and block.figures:
            if question is None or not question.answerable:
                form_text_count += 1  # the sign-off block's signatures
            else:
                piece = start("", "", heading, block.position)
                piece.table = block.rows
                piece.reason = _printed_table_reason(question, heading)
            current = None
            continue
        if block.kind == "table":
            if len(block.rows) == 1 and index.columns_named(block.rows[0]) == len(
                [cell for cell in block.rows[0] if cell]
            ):
                form_text_count += 1  # a table question's headings and no rows: nothing to import
                continue
            owner = question
            how_sure = confidence
            if owner is None or not takes_tables(owner):
                owner, how_sure = _table_question(block.rows[0], index), MEDIUM
            piece = start(
                owner.key if owner else "", how_sure if owner else "", heading, block.position
            )
            piece.table = block.rows
            if owner is None:
                piece.reason = (
                    f"This table is under “{heading}”, an answer that cannot hold a table, so it "
                    "is not imported. Copy what it says into the answer if it is needed."
                    if question is not None and question.answerable
                    else "No question heading before this table."
                )
            current = None
            continue
        if current is None:
            owner = question if question is not None and question.answerable else None
            current = start(
                owner.key if owner else "", confidence if owner else "", heading, block.position
            )
            if owner is None:
                current.reason = "Not under any question of the form."
        append(current, block)
    _drop_guesses_a_sure_heading_answers(pieces, index)
    return pieces, form_text_count


def _drop_guesses_a_sure_heading_answers(pieces: list[Piece], index: FormIndex) -> None:
    """A question whose own heading the document has for sure is not also guessed for text
    under a heading that is merely like it: seed 002's cover line "Practice Based Commissioning
    Plan for 07/08" reads like 6-9's "Practice Based Commissioning in BANES 2007/08", which the
    document has word for word further on. The guess is left out, saying why, and the person
    may still choose a question for that text. A table keeps the question its columns name,
    and a guess by the number alone stays, shown as unsure (LOW)."""
    sure = {piece.key for piece in pieces if piece.confidence == HIGH}
    questions = {question.key: question for question in index.questions}
    for piece in pieces:
        if piece.table or piece.confidence != MEDIUM or piece.key not in sure:
            continue
        named = question_heading(questions[piece.key])
        piece.key, piece.confidence = "", ""
        piece.reason = (
            f"“{piece.heading}” is like the heading “{named}”, but the document has that "
            "heading itself elsewhere, so this text is not put under it."
        )


def _printed_table_reason(question: TemplateQuestion, heading: str) -> str:
    """Why a table the export printed from a question's entries is not read back, true for that
    question: most such tables hold figures worked out from the entries; a milestones table is
    the entries themselves."""
    if question.kind == QuestionKind.MILESTONES:
        return (
            f"This table under “{heading}” is not imported: a Word file cannot change the "
            "deliverables and milestones, so change them on the question's page. The plan keeps "
            "the ones it has."
        )
    return (
        f"This table under “{heading}” is not imported: its figures are worked out from the "
        "answer's entries, so enter them on the question's page."
    )


# --- tables -----------------------------------------------------------------------------------

PROJECT_COLUMNS = {
    "number": ("project number", "project no", "project"),
    "title": ("project title", "project name"),
    "leads": ("leads", "lead", "project leads"),
    "code": ("target", "target number", "target no", "code"),
    "target_title": ("target title", "target name", "description"),
    "planned_saving": ("planned saving", "saving", "savings", "planned saving £"),
}


def _column_for(header: str, columns: list[dict]) -> str:
    wanted = normalised(header)
    if not wanted:
        return ""
    best, best_score = "", 0.0
    for column in columns:
        label = normalised(column.get("label", "")) or normalised(column.get("key", ""))
        score = similarity(wanted, label)
        if label and (label in wanted.split() or wanted in label.split()):
            score = max(score, 0.8)
        if score > best_score:
            best, best_score = column["key"], score
    return best if best_score >= 0.75 else ""


def _header_matches(header: list[str], columns: list[dict]) -> int:
    return sum(1 for cell in header if _column_for(cell, columns))


def takes_tables(question: TemplateQuestion) -> bool:
    """A Word table becomes a table question's rows or a projects question's targets; no other
    answer holds a table, and a table's cells are never run together as paragraphs."""
    return question.kind in (QuestionKind.TABLE, QuestionKind.PROJECTS)


def _columns_named(header: list[str], index: FormIndex) -> tuple[int, TemplateQuestion | None]:
    """The table question whose columns the most cells of ``header`` name, and how many."""
    scored = [
        (_header_matches(header, q.columns), q)
        for q in index.questions
        if q.kind == QuestionKind.TABLE and q.columns
    ]
    return max(scored, key=lambda item: item[0], default=(0, None))


def _table_question(header: list[str], index: FormIndex) -> TemplateQuestion | None:
    named, question = _columns_named(header, index)
    return question if named and named * 2 >= len([c for c in header if c]) else None


def table_rows(question: TemplateQuestion, table: list[list[str]]) -> tuple[list[dict], str]:
    """A Word table as the question's rows, columns matched by their headings (the first row);
    a table without headings fills the columns in order. Returns the rows and a note."""
    columns = question.columns or []
    header = table[0] if table else []
    mapping = {i: _column_for(cell, columns) for i, cell in enumerate(header)}
    note = ""
    if any(mapping.values()):
        body = table[1:]
        ignored = [header[i] for i, key in mapping.items() if not key and header[i]]
        if ignored:
            note = "Columns left out: " + ", ".join(ignored) + "."
    else:
        filled = [
            i for i in range(max((len(r) for r in table), default=0)) if any(
                i < len(r) and r[i] and not r[i].rstrip(".").isdigit() for r in table
            )
        ]  # fmt: skip
        mapping = {i: columns[n]["key"] for n, i in enumerate(filled) if n < len(columns)}
        body = table
    rows = []
    for line in body:
        row = {column["key"]: "" for column in columns}
        for i, key in mapping.items():
            if key and i < len(line):
                row[key] = plain_text(line[i])
        if any(row.values()):
            rows.append(row)
    return rows, note


_SEPARATOR = re.compile(r"\s+[\u2013\u2014-]\s+|:\s+")


def lines_as_rows(question: TemplateQuestion, markup: str) -> list[dict]:
    """Lines of text ("Dr Gerry Bulger - CAS / Referrals Management") as table rows."""
    keys = [column["key"] for column in question.columns or []]
    lines = re.split(r"(?i)</?(?:p|li|br|h[1-6])\b[^>]*>", markup or "")
    rows = []
    for line in lines:
        words = html_to_text(line)
        if not words or not keys:
            continue
        cells = _SEPARATOR.split(words, maxsplit=len(keys) - 1)
        rows.append(
            {key: plain_text(cells[i]) if i < len(cells) else "" for i, key in enumerate(keys)}
        )
    return rows


def pouring_warning(question: TemplateQuestion, piece: Piece) -> str:
    """What the preview says of ``piece`` sent to table ``question`` when it is not a table of
    that question's columns: text, read line by line into rows, or a table whose headings name
    none of the columns, poured into them in order. "" when it is a table of its columns, or
    the question is no table (docs/decisions/0500-text-for-a-table-is-said-and-left-unticked.md).
    """
    if question.kind != QuestionKind.TABLE:
        return ""
    columns = question.columns or []
    if piece.table:
        if any(_column_for(cell, columns) for cell in piece.table[0]):
            return ""
        rows, _note = table_rows(question, piece.table)
        labels = ", ".join(f"“{column.get('label', '')}”" for column in columns)
        return (
            f"This table's headings name none of this question's columns ({labels}): its "
            f"{_rows_said(len(rows))}, the first included, would fill the columns in order. Check "
            "it or untick it."
        )
    rows = lines_as_rows(question, piece.html)
    if all(not any(list(row.values())[1:]) for row in rows):
        first = columns[0].get("label", "") if columns else ""
        return (
            f"This is text, not a table: it would go in as {_rows_said(len(rows))} of one cell "
            f"in the first column (“{first}”). Check it or untick it."
        )
    return (
        f"This is text, not a table: it would go in as {_rows_said(len(rows))}, one a line, "
        "split into the columns at each dash or colon. Check it or untick it."
    )


def _rows_said(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


# --- structured answers -----------------------------------------------------------------------

_MONEY = r"£\s*([0-9,]+(?:\.[0-9]+)?)\s*(m|k|million|thousand)?\b"
_PROJECT_LINE = re.compile(r"^project\s+(\d+)\s*[:.\u2013-]\s*(.+?)[:.]?\s*$", re.I)
_TARGET_LINE = re.compile(
    r"^target\s+(\d+(?:\.\d+)*)\s*[\u2013\u2014:-]\s*(.+?)(?::?\s*(?:planned\s+)?saving(?:s)?\s+of\s+"
    + _MONEY
    + r")?\s*\.?$",
    re.I,
)
_IDENTIFIED_LINE = re.compile(r"(?i)<p>\s*Total Identified Savings:\s*£[\d,.]+\s*</p>")
_IDENTIFIED = re.compile(r"total identified savings[^£]{0,60}" + _MONEY, re.I)


def money(amount: str, unit: str | None) -> Decimal | None:
    try:
        value = Decimal(amount.replace(",", ""))
    except InvalidOperation:
        return None
    scale = {"m": 1_000_000, "million": 1_000_000, "k": 1_000, "thousand": 1_000}
    return value * scale.get((unit or "").lower(), 1)


def _stored(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text


def projects_from_text(markup: str) -> dict:
    """Projects and their targets from lines like "Project 1: Improving Outpatient Efficiency"
    and "Target 1.1 - Clinical Assessment Service: saving of £153k"; a project listed twice
    (once outlined, once with savings) is one project."""
    projects: dict[str, dict] = {}
    current = None
    for line in re.split(r"(?i)</?(?:p|li|br|h[1-6])\b[^>]*>", markup or ""):
        words = " ".join(html_to_text(line).split())
        project = _PROJECT_LINE.match(words)
        if project:
            number = project.group(1)
            current = projects.setdefault(
                number,
                {"number": number, "title": project.group(2).strip(), "leads": [], "targets": []},
            )
            continue
        target = _TARGET_LINE.match(words)
        if target and current is not None:
            code, title = target.group(1), target.group(2).strip().rstrip(":").strip()
            amount = money(target.group(3), target.group(4)) if target.group(3) else None
            existing = next((t for t in current["targets"] if t["code"] == code), None)
            if existing is None:
                existing = {"code": code, "title": title, "planned_saving": ""}
                current["targets"].append(existing)
            if amount is not None:
                existing["planned_saving"] = _stored(amount)
    found = list(projects.values())
    for project in found:
        project["targets"] = [t for t in project["targets"] if t["planned_saving"]] or []
    return {"projects": found} if any(p["targets"] for p in found) else {}


def projects_from_table(table: list[list[str]]) -> dict:
    """A projects table: one row per target, the project's number and title repeated or left
    blank under the first; "Total" rows are computed and skipped."""
    if len(table) < 2:
        return {}
    header = [normalised(cell) for cell in table[0]]
    mapping = {}
    for i, cell in enumerate(header):
        for key, names in PROJECT_COLUMNS.items():
            if cell in names and key not in mapping.values():
                mapping[i] = key
                break
    if "code" not in mapping.values() or "planned_saving" not in mapping.values():
        return {}
    projects: list[dict] = []
    for line in table[1:]:
        row = {key: (line[i] if i < len(line) else "").strip() for i, key in mapping.items()}
        if normalised(" ".join(line)).startswith("total"):
            continue
        number, title = row.get("number", ""), row.get("title", "")
        combined = re.match(r"^(\d+)[.:]?\s+(.+)$", number)
        if combined and not title:
            number, title = combined.group(1), combined.group(2)
        if number or title:
            projects.append(
                {
                    "number": number,
                    "title": title,
                    "leads": [n.strip() for n in row.get("leads", "").split(",") if n.strip()],
                    "targets": [],
                }
            )
        if not projects or not row.get("code"):
            continue
        amount = re.search(_MONEY, row.get("planned_saving", "")) or re.search(
            r"([\d,]+(?:\.\d+)?)()", row.get("planned_saving", "")
        )
        value = money(amount.group(1), amount.group(2)) if amount else None
        projects[-1]["targets"].append(
            {
                "code": row["code"],
                "title": row.get("target_title", ""),
                "planned_saving": _stored(value) if value is not None else "",
            }
        )
    return {"projects": projects} if projects else {}


_CRITERION_LINE = re.compile(r"^([a-z])\)\s+(.+)$")


def criteria_from_text(markup: str, stored: dict | None = None) -> tuple[dict, list[str]]:
    """Success criteria from lettered lines ("a) A defined and documented referral management
    system is in place."), and what the preview should say about their milestone links.

    A Word file says nothing of which milestones evidence a criterion, so each criterion keeps
    the links of the ``stored`` criterion it is: the one with the same words, else the one
    with the same letter (docs/decisions/0481-word-import-keeps-milestone-links.md)."""
    criteria = []
    for line in re.split(r"(?i)</?(?:p|li|br|h[1-6])\b[^>]*>", markup or ""):
        found = _CRITERION_LINE.match(" ".join(html_to_text(line).split()))
        if found:
            criteria.append({"letter": found.group(1), "text": found.group(2), "milestones": []})
    if not criteria:
        return {}, []
    return {"criteria": criteria}, _keep_milestone_links(criteria, (stored or {}).get("criteria"))


def _keep_milestone_links(criteria: list[dict], stored: list | None) -> list[str]:
    unmatched = [old for old in stored or [] if isinstance(old, dict)]
    matches: list[dict | None] = []
    for criterion in criteria:
        words = normalised(criterion["text"])
        match = next((old for old in unmatched if normalised(old.get("text", "")) == words), None)
        if match is not None:
            unmatched.remove(match)
        matches.append(match)
    reworded, new = [], []
    for i, criterion in enumerate(criteria):
        if matches[i] is None:
            letter = criterion["letter"]
            matches[i] = next((old for old in unmatched if old.get("letter") == letter), None)
            if matches[i] is not None:
                unmatched.remove(matches[i])
                reworded.append(letter)
            else:
                new.append(letter)
        if matches[i] is not None:
            criterion["milestones"] = list(matches[i].get("milestones") or [])
    notes = []
    if reworded:
        notes.append(
            f"{_criteria_named(reworded)} {_is_are(reworded)} worded differently in the document "
            f"and {'keeps' if len(reworded) == 1 else 'keep'} the milestones linked to the same "
            "letter now: check them on the "
            "question's page after importing."
        )
    dropped = [str(old.get("letter") or "") for old in unmatched if old.get("milestones")]
    if dropped:
        notes.append(
            f"{_criteria_named(dropped)} {_is_are(dropped)} not in the document, so importing "
            "removes the criterion and the milestones linked to it."
            if len(dropped) == 1
            else f"{_criteria_named(dropped)} are not in the document, so importing removes "
            "those criteria and the milestones linked to them."
        )
    if new:
        notes.append(
            f"{_criteria_named(new)} will have no milestones linked, because a Word file does "
            "not say which milestones evidence a criterion. Link them on the question's page "
            "after importing."
        )
    return notes


def _criteria_named(letters: list[str]) -> str:
    named = [letter for letter in letters if letter]
    if not named:
        return "Some criteria" if len(letters) > 1 else "A criterion"
    listed = ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]
    return f"Criteri{'a' if len(letters) > 1 else 'on'} {listed}"


def _is_are(items: list) -> str:
    return "is" if len(items) == 1 else "are"


def identified_from_text(markup: str) -> dict:
    found = _IDENTIFIED.search(" ".join(html_to_text(re.sub(r"<[^>]+>", " ", markup)).split()))
    if not found:
        return {}
    value = money(found.group(1), found.group(2))
    return {"total_identified_savings": _stored(value)} if value else {}


# --- what each question would receive ----------------------------------------------------------


@dataclass
class Proposal:
    """What applying would write to one question."""

    question: TemplateQuestion
    pieces: list[Piece]
    text: str | None = None
    rows: list[dict] | None = None
    data: dict | None = None
    notes: list[str] = field(default_factory=list)


def proposal_for(
    question: TemplateQuestion, pieces: list[Piece], stored: dict | None = None
) -> Proposal:
    """What ``pieces`` would write to ``question``; ``stored`` is its answer's data now, for
    what a Word file cannot carry and so is kept."""
    proposal = Proposal(question=question, pieces=pieces)
    tables = [piece.table for piece in pieces if piece.table]
    markup = "".join(piece.html for piece in pieces if not piece.table)
    if question.kind == QuestionKind.TABLE:
        rows: list[dict] = []
        for table in tables:
            found, note = table_rows(question, table)
            rows += found
            if note:
                proposal.notes.append(note)
        if markup:
            rows += lines_as_rows(question, markup)
        proposal.rows = rows
        return proposal
    if question.kind == QuestionKind.PROJECTS:
        data = {}
        for table in tables:
            data = projects_from_table(table) or data
        if tables and not data:
            proposal.notes.append(
                "The table has no Target and Planned saving columns, so it is not imported."
            )
        if not data:
            data = projects_from_text(markup)
        proposal.data = data or None
    elif question.kind == QuestionKind.SUCCESS_CRITERIA:
        data, notes = criteria_from_text(markup, stored)
        proposal.data = data or None
        proposal.notes += notes
    elif question.kind == QuestionKind.SAVINGS_TARGET:
        proposal.data = identified_from_text(markup) or None
        # The figure as the Word export prints it is the figure, not part of the answer.
        markup = _IDENTIFIED_LINE.sub("", markup)
    if question.has_text:
        proposal.text = clean_html(markup)
    if proposal.data is not None:
        try:
            proposal.data = kind_for(question).clean(proposal.data)
        except AnswerInvalid as invalid:
            proposal.notes.append(f"The figures found could not be used: {invalid.message}")
            proposal.data = None
    return proposal


# --- the preview ------------------------------------------------------------------------------


@dataclass
class Preview:
    filename: str
    pieces: list[Piece]
    form_text_count: int
    versions: dict[str, int]

    def as_json(self) -> dict:
        """Every field, the pieces too, as the JSON kept in the session between the preview
        and the import (``from_json`` reads it back)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Preview:
        return cls(
            filename=str(data.get("filename") or ""),
            pieces=[Piece.from_json(item) for item in data.get("pieces") or []],
            form_text_count=int(data.get("form_text_count") or 0),
            versions={str(k): int(v) for k, v in (data.get("versions") or {}).items()},
        )


def _may_import(user, plan: Plan) -> None:
    if not allowed(user, Perm.EDIT_CONSORTIUM_SECTIONS, plan):
        raise PermissionDenied("Only the consortium's editors and chair can import into its plan.")
    if plan.status not in CONSORTIUM_EDITS_IN:
        raise PermissionDenied(
            status_refusal(
                plan, "a Word file can be imported only while the consortium is writing it."
            )
        )


def word_import_preview(*, plan: Plan, user, filename: str, data: bytes) -> Preview:
    """Read ``data`` (a .docx) and say what it would write to ``plan``; nothing is written.

    Raises ``WordRefused`` with a message for a file that cannot be read safely.
    """
    _may_import(user, plan)
    refuse_by_name(filename)
    deadline = Deadline()
    index = FormIndex.of(plan.template)
    markup = docx_html(data, deadline=deadline)
    try:
        blocks = blocks_of(
            markup,
            is_heading=index.is_heading,
            columns_named=index.columns_named,
            deadline=deadline,
        )
    except RecursionError:
        raise WordRefused(
            "This document's tables are nested too deeply to read. Take the text out of the "
            "inner tables, save, and upload it again."
        ) from None
    pieces, form_text_count = _split_pieces(blocks, index, deadline, exported=written_here(data))
    if not pieces:
        raise WordRefused("No text was found in this document.")
    versions = {
        key: version for key, version in plan.answers.values_list("question__key", "version")
    }
    return Preview(
        filename=filename, pieces=pieces, form_text_count=form_text_count, versions=versions
    )


def proposals(plan: Plan, preview: Preview, choices: dict[int, str] | None = None):
    """What applying would write, question by question in form order, with the pieces chosen
    for each (``choices`` maps a piece to a question key, "" to leave it out; without it, the
    sure and probable matches)."""
    questions = {q.key: q for q in plan.template.questions.order_by("position")}
    chosen: dict[str, list[Piece]] = {}
    for piece in preview.pieces:
        if choices is None:
            key = piece.key if piece.confidence in (HIGH, MEDIUM) else ""
        else:
            key = choices.get(piece.id, "")
        question = questions.get(key)
        if (
            question is not None
            and question.answerable
            and (takes_tables(question) or not piece.table)
        ):
            chosen.setdefault(key, []).append(piece)
    stored = dict(
        plan.answers.filter(question__key__in=chosen).values_list("question__key", "data")
    )
    return [
        proposal_for(questions[key], chosen[key], stored.get(key))
        for key in questions
        if key in chosen
    ]


@dataclass
class ApplyResult:
    #: the named draft of the plan as it was, "" when nothing was to be saved
    snapshot_name: str = ""
    saved: list[TemplateQuestion] = field(default_factory=list)
    #: chosen, but the document holds what the answer holds already, so not saved again
    unchanged: list[TemplateQuestion] = field(default_factory=list)
    conflicts: list[TemplateQuestion] = field(default_factory=list)
    refused: list[tuple[TemplateQuestion, str]] = field(default_factory=list)


def unchanged(plan: Plan, answer: Answer | None, proposal: Proposal, context: KindContext) -> bool:
    """Whether applying ``proposal`` would leave the answer (None: not started) as it is."""
    return services.answer_unchanged(
        answer=answer or Answer(plan=plan, question=proposal.question),
        text=proposal.text,
        rows=proposal.rows,
        data=proposal.data,
        context=context,
    )


def _snapshot_name(plan: Plan, filename: str) -> str:
    when = date_format(localtime(timezone.now()), "j F Y H:i")
    base = f"Before importing {filename[:120]} ({when})"
    taken = {name.lower() for name in plan.snapshots.values_list("name", flat=True)}
    name, number = base, 2
    while name.lower() in taken:
        name, number = f"{base} {number}", number + 1
    return name


def word_import_apply(
    *, plan: Plan, user, preview: Preview, choices: dict[int, str]
) -> ApplyResult:
    """Name a draft of the plan as it is, then save each chosen answer as an ordinary save.

    An answer the document would leave as it is is not saved again (no new version in its
    history); when every one is, no draft is named either. An answer someone saved after the
    preview was made is not overwritten: it is listed as a conflict. Questions the user may
    not edit are listed with the reason.
    """
    _may_import(user, plan)
    plan_proposals = proposals(plan, preview, choices)
    if not plan_proposals:
        raise AnswerInvalid("Choose at least one piece of text to import.")
    result = ApplyResult()
    answers = {a.question.key: a for a in plan.answers.select_related("question")}
    changed = []
    context = selectors.kind_context(plan)  # read once: nothing is written before the last
    for proposal in plan_proposals:
        if unchanged(plan, answers.get(proposal.question.key), proposal, context):
            result.unchanged.append(proposal.question)
        else:
            changed.append(proposal)
    if changed:
        result.snapshot_name = services.snapshot_create(
            plan=plan, user=user, name=_snapshot_name(plan, preview.filename)
        ).name
    for proposal in changed:
        question = proposal.question
        answer = answers.get(question.key)
        if answer is None:
            answer = Answer.objects.create(plan=plan, question=question)
        decision = may_edit_answer(user, plan, question)
        if not decision:
            result.refused.append((question, decision.reason))
            continue
        try:
            services.answer_save(
                answer=answer,
                user=user,
                base_version=preview.versions.get(question.key, answer.version),
                text=proposal.text,
                rows=proposal.rows,
                data=proposal.data,
                reason=history.WORD_IMPORT,
            )
        except StaleAnswer:
            result.conflicts.append(question)
        except AnswerInvalid as invalid:
            result.refused.append((question, invalid.message))
        else:
            result.saved.append(question)
    return result


# --- what the preview page shows ----------------------------------------------------------------


def default_choices(plan: Plan, preview: Preview, user) -> dict[int, str]:
    """Sure matches the user may write are ticked; a probable guess is shown with its question
    but left for the person to tick, since a wrong guess would overwrite a good answer, and so
    is text or a table of other columns that a table question would take only as rows poured
    in (``pouring_warning``)."""
    questions = {q.key: q for q in plan.template.questions.all()}
    choices = {}
    for piece in preview.pieces:
        question = questions.get(piece.key)
        ticked = (
            question is not None
            and piece.confidence == HIGH
            and not pouring_warning(question, piece)
            and bool(may_edit_answer(user, plan, question))
        )
        choices[piece.id] = piece.key if ticked else ""
    return choices


@dataclass
class PieceRow:
    piece: Piece
    chosen: str
    confidence_label: str
    tag_class: str
    #: the questions it may be sent to: a table only to those that take one
    targets: list[TemplateQuestion]
    #: what it would become in the table question it is shown under, when not a table of its
    #: columns
    warning: str = ""

    @property
    def html(self) -> str:
        """The piece's text as the page shows it, through the allowlist again."""
        return clean_html(self.piece.html)


@dataclass
class QuestionPreview:
    question: TemplateQuestion | None
    pieces: list[PieceRow]
    existing: str = ""
    #: what would be imported is what the answer holds already: it is not saved again
    unchanged: bool = False
    may_edit: bool = True
    reason: str = ""
    proposal: Proposal | None = None
    columns: list[dict] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)

    @property
    def says_what_is_saved(self) -> bool:
        """Whether saving shows something besides the text found: a table's rows, the projects,
        a kind's figures or a note (a text answer is the text shown above)."""
        proposal = self.proposal
        return proposal is not None and bool(
            self.table or self.projects or proposal.data or proposal.notes
        )


_TAGS = {HIGH: "nhsuk-tag--green", MEDIUM: "nhsuk-tag--yellow", LOW: "nhsuk-tag--orange"}


def preview_rows(plan: Plan, preview: Preview, choices: dict[int, str], user):
    """One row per question that receives or was matched with text, in form order, then the
    text that matched nothing (``question`` None)."""
    questions = list(plan.template.questions.order_by("position"))
    by_question_key = {q.key: q for q in questions}
    answers = {a.question_id: a for a in plan.answers.select_related("question")}
    by_key: dict[str, list[PieceRow]] = {}
    for piece in preview.pieces:
        chosen = choices.get(piece.id, "")
        shown_under = by_question_key.get(chosen or piece.key)
        row = PieceRow(
            piece=piece,
            chosen=chosen,
            confidence_label=CONFIDENCE_LABELS.get(piece.confidence, "No match"),
            tag_class=_TAGS.get(piece.confidence, "nhsuk-tag--grey"),
            targets=[q for q in questions if q.answerable and (takes_tables(q) or not piece.table)],
            warning=pouring_warning(shown_under, piece) if shown_under else "",
        )
        by_key.setdefault(chosen or piece.key, []).append(row)
    written = {p.question.key: p for p in proposals(plan, preview, choices)}
    context = selectors.kind_context(plan)
    rows = []
    for question in questions:
        if question.key not in by_key:
            continue
        decision = may_edit_answer(user, plan, question)
        item = QuestionPreview(
            question=question,
            pieces=by_key[question.key],
            existing=answer_state(answers.get(question.pk)),
            may_edit=bool(decision),
            reason=decision.reason,
            proposal=written.get(question.key),
        )
        proposal = item.proposal
        item.unchanged = proposal is not None and unchanged(
            plan, answers.get(question.pk), proposal, context
        )
        if proposal is not None and proposal.rows is not None:
            item.columns = question.columns
            item.table = [list(r.values) for r in aligned(question, proposal.rows, plan_id=plan.pk)]
        if proposal is not None and proposal.data and question.kind == QuestionKind.PROJECTS:
            totals = plan_savings(proposal.data, None)
            item.projects = [
                f"{p.get('number')} {p.get('title')}: "
                + (
                    ", ".join(
                        f"{t['code']} {finance.format_money(Decimal(t['planned_saving']))}"
                        for t in p["targets"]
                    )
                    or "no targets"
                )
                for p in proposal.data["projects"]
            ] + [f"Total planned savings: {finance.format_money(totals.total)}"]
        rows.append(item)
    if "" in by_key:
        rows.append(QuestionPreview(question=None, pieces=by_key[""]))
    return rows
