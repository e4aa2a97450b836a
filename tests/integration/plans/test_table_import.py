"""A table question's rows imported from a CSV file (plans/table_import.py): columns matched by
heading or key, unknown columns ignored and reported, every bad cell located, nothing saved
while any cell is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import User
from plans import history, services
from plans.kinds.base import NO_PLAN
from plans.table_import import MAX_CSV_BYTES, TableImportRefused, rows_from_csv
from tests.factories import UserFactory
from tests.plan_factories import plan_with_questions

pytestmark = pytest.mark.django_db

COLUMNS = [
    {"key": "name", "label": "Practice"},
    {"key": "list_size", "label": "Registered population", "type": "whole", "total": "sum"},
    {"key": "joined", "label": "Joined", "type": "date"},
    {"key": "lead", "label": "PBC lead", "type": "yes_no"},
]


@pytest.fixture
def table():
    plan = plan_with_questions(questions=10)
    answer = plan.answers.select_related("question", "plan").get(question__key="practices")
    answer.question.columns = COLUMNS
    answer.question.save(update_fields=["columns"])
    editor = UserFactory(role=User.Role.CONSORTIUM_EDITOR, consortium=plan.consortium)
    return answer, editor


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def imported(answer, *lines: str):
    return rows_from_csv(answer.question, csv(*lines), context=NO_PLAN)


def test_columns_are_matched_by_heading_or_key_in_any_order(table):
    answer, _ = table

    found = imported(answer, "pbc lead,LIST_SIZE,Practice,Joined", "yes,12000,Red House,31/03/2007")

    assert found.rows == [
        {"name": "Red House", "list_size": "12000", "joined": "2007-03-31", "lead": "yes"}
    ]
    assert list(found.rows[0]) == [column["key"] for column in COLUMNS]


def test_unknown_columns_are_ignored_and_reported(table):
    answer, _ = table

    found = imported(answer, "Practice,Fax number,Registered population", "A,0123,5")

    assert found.ignored == ("Fax number",)
    assert found.rows[0]["list_size"] == "5"


def test_each_bad_cell_is_reported_by_its_row_and_column_heading(table):
    answer, _ = table

    with pytest.raises(TableImportRefused) as refused:
        imported(
            answer,
            "Practice,Registered population,Joined",
            "A,100,1/4/2006",
            "B,200,",
            "C,lots,",
            "D,40,31/02/2007",
        )

    messages = refused.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("Row 3, Registered population: ")
    assert "whole number" in messages[0] or "number" in messages[0]
    assert messages[1].startswith("Row 4, Joined: ")


def test_a_file_with_no_heading_of_the_table_is_refused_naming_its_columns(table):
    answer, _ = table

    with pytest.raises(TableImportRefused) as refused:
        imported(answer, "Fax,Phone", "1,2")

    assert "Practice, Registered population, Joined, PBC lead" in refused.value.messages[0]


def test_a_row_with_more_cells_than_headings_is_refused_not_cut(table):
    answer, _ = table

    with pytest.raises(TableImportRefused) as refused:
        imported(answer, "Practice", "A,extra")

    assert refused.value.messages == ["Row 1 has 2 cells but the first line names 1 columns."]


def test_a_file_larger_than_the_cap_or_not_utf8_is_refused(table):
    answer, _ = table

    with pytest.raises(TableImportRefused, match="at most"):
        rows_from_csv(answer.question, b"Practice\r\n" + b"a" * MAX_CSV_BYTES, context=NO_PLAN)
    with pytest.raises(TableImportRefused, match="UTF-8"):
        rows_from_csv(answer.question, "Practice\r\nCaf\xe9\r\n".encode("latin-1"), context=NO_PLAN)


def test_nothing_is_saved_when_any_cell_is_refused(table):
    answer, editor = table
    before = list(answer.rows)

    with pytest.raises(TableImportRefused):
        services.table_rows_import(
            answer=answer,
            user=editor,
            base_version=answer.version,
            data=csv("Practice,Registered population", "A,1", "B,x"),
        )

    answer.refresh_from_db()
    assert answer.rows == before


def test_the_edit_page_imports_the_rows_and_says_which_columns_it_ignored(client, table):
    answer, editor = table
    client.force_login(editor)
    url = reverse("answer_edit", args=[answer.plan_id, "practices"])
    assert 'action="' + reverse("table_import", args=[answer.plan_id, "practices"]) in (
        client.get(url).content.decode()
    )

    response = client.post(
        reverse("table_import", args=[answer.plan_id, "practices"]),
        {
            "table-import-base_version": answer.version,
            "table-import-file": SimpleUploadedFile(
                "rows.csv", csv("Practice,Notes,Registered population", "A,x,1", "B,y,2")
            ),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "2 rows imported. Columns ignored: Notes." in page
    answer.refresh_from_db()
    assert [row["name"] for row in answer.rows] == ["A", "B"]


def test_the_history_tells_imported_rows_as_an_import_and_the_activity_lists_it(client, table):
    answer, editor = table
    services.table_rows_import(
        answer=answer, user=editor, base_version=answer.version, data=csv("Practice", "A")
    )
    client.force_login(editor)

    html = client.get(reverse("question_history", args=[answer.plan_id, "practices"]))

    assert ">Imported from a CSV file<" in html.content.decode()
    assert ">Saved<" not in html.content.decode()
    assert [line["line_key"] for line in history.saves_by_day(answer.plan)] == ["practices"]


def test_the_edit_page_lists_every_bad_cell_and_saves_nothing(client, table):
    answer, editor = table
    client.force_login(editor)
    before = answer.version

    response = client.post(
        reverse("table_import", args=[answer.plan_id, "practices"]),
        {
            "table-import-base_version": answer.version,
            "table-import-file": SimpleUploadedFile(
                "rows.csv", csv("Practice,Registered population", "A,1", "B,2", "C,three")
            ),
        },
    )

    assert response.status_code == 400
    assert "Row 3, Registered population:" in response.content.decode()
    answer.refresh_from_db()
    assert answer.version == before


def test_a_date_is_read_as_the_editors_one_box_reads_it(table):
    answer, _ = table

    found = imported(answer, "Practice,Joined", "A,1 April 2009", "B,2009-04-01", "C,1/4/2009")

    assert [row["joined"] for row in found.rows] == ["2009-04-01"] * 3
