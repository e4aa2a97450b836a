from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from monitoring.exports import HOURS_FORMAT, Number, Table, cell, csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("153000.00"), "153000.00"),
        (Decimal("-3000"), "-3000"),
        (date(2006, 6, 20), "2006-06-20"),
        (None, ""),
        (4, "4"),
        (Number(Decimal("1000.5"), HOURS_FORMAT), "1000.5"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+44 1442", "'+44 1442"),
        ("-1 + 2", "'-1 + 2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tlead", "'\tlead"),
        ("Referral management", "Referral management"),
    ],
)
def test_a_csv_cell_keeps_numbers_and_dates_and_escapes_formula_like_text(value, written):
    assert cell(value) == written


def test_csv_starts_with_a_byte_order_mark_for_excel():
    assert csv_bytes([Table("T", ["Target"], [["£1"]])]).startswith("\ufeffTarget".encode())


def test_csv_puts_each_further_table_after_a_blank_line_under_its_title():
    written = csv_bytes(
        [Table("Delivery", ["Target"], [["1.1"]]), Table("=Hours", ["Activity"], [["Board"]])]
    )
    assert written.decode("utf-8-sig").splitlines() == [
        "Target", "1.1", "", "'=Hours", "Activity", "Board",
    ]  # fmt: skip


def test_excel_cells_are_typed_and_text_never_runs_as_a_formula():
    data = xlsx_bytes(
        [
            Table(
                "A very long sheet title over thirty-one characters",
                ["Text", "Money", "Date", "Empty", "Hours"],
                [
                    [
                        '=HYPERLINK("x")',
                        Decimal("153000.50"),
                        date(2006, 6, 20),
                        None,
                        Number(Decimal("12.5"), HOURS_FORMAT),
                    ]
                ],
            ),
            Table("Second", ["=A1"]),
        ]
    )

    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[0]
    text, money, when, empty, hours = sheet[2]
    assert (text.value, text.data_type) == ('=HYPERLINK("x")', "s")
    assert (money.value, money.data_type, money.number_format) == (153000.5, "n", "£#,##0.00")
    assert when.value.date() == date(2006, 6, 20) and when.is_date
    assert empty.value is None
    assert (hours.value, hours.data_type, hours.number_format) == (12.5, "n", HOURS_FORMAT)
    assert len(sheet.title) == 31 and sheet["A1"].font.bold
    assert book.sheetnames[1] == "Second" and book["Second"]["A1"].data_type == "s"
