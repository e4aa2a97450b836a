"""Changes to organisations and people. Views, admin and loaders call these; they hold the rules."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Consortium, Practice

CSV_COLUMNS = ("name", "code", "list_size")
MAX_IMPORT_BYTES = 1_000_000


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


class PracticeImportError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _read_rows(raw: bytes) -> list[dict[str, str]]:
    if len(raw) > MAX_IMPORT_BYTES:
        raise PracticeImportError([ImportProblem(0, "The file is larger than 1 MB.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PracticeImportError(
            [ImportProblem(0, "The file is not UTF-8 text: save it from Excel as CSV UTF-8.")]
        ) from error
    # No database stores the null character; a file holding one is not a spreadsheet's CSV.
    unstorable = sorted(
        {number for number, row in enumerate(text.splitlines(), 1) if "\x00" in row}
    )
    if unstorable:
        raise PracticeImportError(
            [
                ImportProblem(
                    number,
                    "The line holds a null character, which cannot be stored: save the file "
                    "again from your spreadsheet as CSV UTF-8.",
                )
                for number in unstorable
            ]
        )
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip().lower() for column in (reader.fieldnames or [])]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise PracticeImportError(
            [ImportProblem(1, f"The header row needs the columns: {', '.join(CSV_COLUMNS)}.")]
        )
    reader.fieldnames = header
    return list(reader)


def practices_import_csv(*, consortium: Consortium, raw: bytes) -> list[Practice]:
    """Add or update the consortium's practices from a CSV file, all of it or none of it.

    Every problem in the file is reported with its line number before anything is written.
    """
    rows = _read_rows(raw)
    problems: list[ImportProblem] = []
    practices: list[Practice] = []
    seen_codes: dict[str, int] = {}
    existing = {practice.code: practice for practice in Practice.objects.all()}
    if not rows:
        problems.append(ImportProblem(2, "The file has no practices in it."))
    for offset, row in enumerate(rows):
        line = offset + 2
        code = (row.get("code") or "").strip().upper()
        size_text = (row.get("list_size") or "").strip().replace(",", "")
        if code in seen_codes:
            problems.append(
                ImportProblem(line, f"Practice code {code} is also on line {seen_codes[code]}.")
            )
            continue
        seen_codes[code] = line
        practice = existing.get(code) or Practice(code=code)
        if practice.pk and practice.consortium_id != consortium.pk:
            problems.append(
                ImportProblem(line, f"Practice code {code} belongs to {practice.consortium}.")
            )
            continue
        practice.consortium = consortium
        practice.name = (row.get("name") or "").strip()
        practice.position = offset
        if not size_text:
            practice.list_size = None
        elif not size_text.lstrip("-").isdigit():
            problems.append(ImportProblem(line, f"List size '{size_text}' is not a whole number."))
            continue
        elif int(size_text) < 0:
            problems.append(ImportProblem(line, "List size cannot be negative."))
            continue
        else:
            practice.list_size = int(size_text)
        try:
            practice.full_clean(validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = field.replace("_", " ")
                problems.extend(ImportProblem(line, f"{label}: {message}") for message in messages)
            continue
        practices.append(practice)
    if problems:
        raise PracticeImportError(problems)
    with transaction.atomic():
        for practice in practices:
            practice.save()
    return practices
