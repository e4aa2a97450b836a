import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import Practice, User
from consortia.services import PracticeImportError, practices_import_csv
from tests.factories import ConsortiumFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

GOOD = b"name,code,list_size\nHigh Street Surgery,A12345,7200\nMill Lane Surgery,A12346,\n"
# Line 2 is fine; every other line has a problem of its own.
BAD = (
    b"name,code,list_size\n"
    b"High Street Surgery,A12345,7200\n"
    b"Second High Street,A12345,100\n"
    b"Minus Surgery,A12347,-5\n"
    b"Bad Code Surgery,12345,100\n"
    b"Words Surgery,A12349,lots\n"
)
BAD_LINES = {
    3: "Practice code A12345 is also on line 2.",
    4: "List size cannot be negative.",
    5: "national practice code",
    6: "List size 'lots' is not a whole number.",
}


def problems_in(raw: bytes) -> list[str]:
    """What refusing ``raw`` says, line by line, for a consortium of its own."""
    with pytest.raises(PracticeImportError) as refused:
        practices_import_csv(consortium=ConsortiumFactory(), raw=raw)
    return [str(problem) for problem in refused.value.problems]


def snapshot() -> list[tuple]:
    return list(Practice.objects.order_by("code").values_list("code", "name", "list_size"))


def test_a_good_file_imports_every_practice():
    consortium = ConsortiumFactory()

    practices_import_csv(consortium=consortium, raw=GOOD)

    assert list(consortium.practices.values_list("name", "code", "list_size")) == [
        ("High Street Surgery", "A12345", 7200),
        ("Mill Lane Surgery", "A12346", None),
    ]


def test_a_bad_file_is_refused_whole_naming_every_bad_line():
    consortium = ConsortiumFactory()
    PracticeFactory(consortium=consortium, code="A00001")
    before = snapshot()

    with pytest.raises(PracticeImportError) as refused:
        practices_import_csv(consortium=consortium, raw=BAD)

    problems = {problem.line: problem.message for problem in refused.value.problems}
    assert sorted(problems) == sorted(BAD_LINES)
    for line, words in BAD_LINES.items():
        assert words in problems[line]
    assert snapshot() == before


def test_a_code_belonging_to_another_consortium_is_refused():
    PracticeFactory(code="A12345", consortium=ConsortiumFactory(name="Elsewhere"))

    with pytest.raises(PracticeImportError, match="Line 2: Practice code A12345 belongs to"):
        practices_import_csv(consortium=ConsortiumFactory(), raw=GOOD)


@pytest.fixture
def admin_client_signed_in(client):
    client.force_login(UserFactory(role=User.Role.SITE_ADMIN))
    return client


def import_url(consortium) -> str:
    return reverse("admin:consortia_consortium_import_practices", args=[consortium.pk])


def test_admin_import_of_a_good_file_adds_the_practices(admin_client_signed_in):
    consortium = ConsortiumFactory()

    response = admin_client_signed_in.post(
        import_url(consortium), {"file": SimpleUploadedFile("practices.csv", GOOD)}, follow=True
    )

    assert "Imported 2 practices from a CSV file." in response.content.decode()
    assert consortium.practices.count() == 2


def test_admin_import_of_a_bad_file_shows_every_line_and_changes_nothing(admin_client_signed_in):
    consortium = ConsortiumFactory()
    before = snapshot()

    response = admin_client_signed_in.post(
        import_url(consortium), {"file": SimpleUploadedFile("practices.csv", BAD)}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing has changed" in html
    for line in BAD_LINES:
        assert f"Line {line}:" in html
    assert snapshot() == before


def test_the_consortium_admin_page_links_to_the_import(admin_client_signed_in):
    consortium = ConsortiumFactory()

    page = admin_client_signed_in.get(
        reverse("admin:consortia_consortium_change", args=[consortium.pk])
    )

    assert import_url(consortium) in page.content.decode()


def test_only_site_administrators_reach_the_import(client):
    consortium = ConsortiumFactory()
    client.force_login(UserFactory(role=User.Role.PCT_LEAD, commissioner=consortium.commissioner))

    assert client.get(import_url(consortium)).status_code == 302


def test_a_null_character_in_the_file_is_refused_on_its_line_and_changes_nothing(
    admin_client_signed_in,
):
    consortium = ConsortiumFactory()
    with_nul = b"name,code,list_size\nHigh Street Surgery,A12345,7200\nMill\x00 Lane,A12346,\n"

    response = admin_client_signed_in.post(
        import_url(consortium), {"file": SimpleUploadedFile("practices.csv", with_nul)}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 3: The line holds a null character" in html
    assert not consortium.practices.exists()


def test_a_file_over_the_limit_is_refused_unread_with_the_limit_named(admin_client_signed_in):
    consortium = ConsortiumFactory()
    huge = GOOD + b"Filler Surgery,A19999,1\n" * 60_000

    response = admin_client_signed_in.post(
        import_url(consortium), {"file": SimpleUploadedFile("practices.csv", huge)}
    )

    assert response.status_code == 413
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not consortium.practices.exists()


def test_a_quoted_line_break_moves_later_problems_to_the_lines_an_editor_shows():
    # Line 2's quoted name holds a line break, so the record of lines 2 and 3 is the first
    # practice and the editor shows the bad list size on line 5, not the fourth row.
    raw = (
        b"name,code,list_size\n"
        b'"High Street Surgery\nBranch at Mill Lane",A12345,7200\n'
        b"Mill Lane Surgery,A12346,\n"
        b"Words Surgery,A12349,lots\n"
    )

    assert problems_in(raw) == ["Line 5: List size 'lots' is not a whole number."]


def test_a_problem_in_a_record_spanning_lines_names_both_lines():
    raw = b'name,code,list_size\n"Two\nLine Surgery",A12345,many\n'

    assert problems_in(raw) == ["Lines 2 to 3: List size 'many' is not a whole number."]


def test_a_blank_practice_name_or_code_is_named_in_plain_words_on_its_line():
    raw = (
        b"name,code,list_size\n"
        b"High Street Surgery,A12345,7200\n"
        b"\n"
        b" ,A12346,100\n"
        b"Mill Lane Surgery,,100\n"
    )

    assert problems_in(raw) == [
        "Line 4: Enter the practice's name.",
        "Line 5: Enter the practice's code, for example A12345.",
    ]


@pytest.mark.parametrize("size", ["\u0667\u0662\u0660\u0660", "\uff17\uff12\uff10\uff10"])
def test_a_list_size_in_digits_of_another_script_is_refused_not_read(size):
    raw = f"name,code,list_size\nHigh Street Surgery,A12345,{size}\n".encode()

    assert problems_in(raw) == [f"Line 2: List size '{size}' is not a whole number."]


@pytest.mark.parametrize("size", ["7200", "7 200", "7\u00a0200", '"7,200"'])
def test_a_list_size_with_commas_or_spaces_between_thousands_is_read(size):
    raw = f"name,code,list_size\nHigh Street Surgery,A12345,{size}\n".encode()

    (practice,) = practices_import_csv(consortium=ConsortiumFactory(), raw=raw)

    assert practice.list_size == 7200


@pytest.mark.parametrize("size", ["7,20", "7_200", "7e3", "7200.5", "£7200", "+7200"])
def test_a_list_size_not_written_by_the_number_rule_is_refused_as_typed_on_its_line(size):
    """The rule every figure is read by (consortia/numbers.py): "7,20" is not read as 720."""
    raw = (
        b"name,code,list_size\n"
        b'"High Street Surgery\nBranch at Mill Lane",A12345,7200\n'
        + f'Mill Lane Surgery,A12346,"{size}"\n'.encode()
    )

    assert problems_in(raw) == [f"Line 4: List size '{size}' is not a whole number."]


def test_a_line_with_more_cells_than_the_header_is_refused_not_cut_short():
    """An unquoted "7,200" is two cells: reading the first as the list size would store 7."""
    raw = b"name,code,list_size\nHigh Street Surgery,A12345,7,200\nMill Lane Surgery,A12346,90,,\n"

    assert problems_in(raw) == [
        "Line 2: The line has 4 cells but the header row names 3 columns (the first cell past "
        "them holds '200'). A number with commas, such as 7,200, needs quotes around it "
        '("7,200") or no commas.'
    ]
    assert Practice.objects.count() == 0


def test_a_null_character_on_one_line_does_not_hide_the_problems_of_the_others():
    raw = b"name,code,list_size\nMill\x00 Lane,A12346,\nWords Surgery,A12349,lots\n"

    assert problems_in(raw) == [
        "Line 2: The line holds a null character, which cannot be stored: save the file again "
        "from your spreadsheet as CSV UTF-8.",
        "Line 3: List size 'lots' is not a whole number.",
    ]


def test_every_problem_of_every_line_is_named_at_once():
    raw = b"name,code,list_size\n,,1e3\nHigh Street Surgery,A12345,abc\n"

    assert problems_in(raw) == [
        "Line 2: Enter the practice's code, for example A12345.",
        "Line 2: Enter the practice's name.",
        "Line 2: List size '1e3' is not a whole number.",
        "Line 3: List size 'abc' is not a whole number.",
    ]


def test_a_file_not_in_utf8_is_named_as_a_whole_with_the_first_line_that_is_not():
    raw = "name,code,list_size\nHigh Street Surgery,A12345,7200\nCaf\u00e9 Surgery,A12346,\n"

    assert problems_in(raw.encode("latin-1")) == [
        "The file is not UTF-8 text (line 3 is the first line that is not): save it from Excel "
        "as CSV UTF-8."
    ]


UNCLOSED = (
    "A quote opened on this line is never closed, so the rest of the file was read as one "
    "cell: add the closing quote, or take the opening one out."
)


@pytest.mark.parametrize("tail", [b"\n", b"", b"\n" + b"Filler Surgery,A19999,1\n" * 6000])
def test_a_quote_never_closed_is_named_on_the_line_it_opens(tail):
    """csv reads the rest of the file into the one cell, however long, without complaint."""
    raw = (
        b"name,code,list_size\n"
        b"Words Surgery,A12349,lots\n"
        b'"Two\nLine Surgery",A12345,7200\n'
        b'Mill Lane Surgery,"A12346,100\n'
        b"Oak Surgery,A12347,100" + tail
    )

    assert problems_in(raw) == [
        "Line 2: List size 'lots' is not a whole number.",
        f"Line 5: {UNCLOSED}",
    ]


def test_a_quote_opened_inside_a_record_of_two_lines_is_named_on_the_line_it_opens():
    raw = b'name,code,list_size\n"Two\nLine Surgery",A12345,"7200\nOak Surgery,A12347,100\n'

    assert problems_in(raw) == [f"Line 3: {UNCLOSED}"]


def test_a_file_with_old_mac_line_breaks_is_read_line_by_line():
    raw = b"name,code,list_size\rHigh Street Surgery,A12345,7200\rMill Lane Surgery,,\r"

    assert problems_in(raw) == ["Line 3: Enter the practice's code, for example A12345."]
