import pytest

from plans.models import TemplatePart


@pytest.mark.parametrize(
    ("number", "title", "called"),
    [
        ("4", "Commissioning objectives", "part 4"),
        ("2-5", "Background", "part 2-5"),
        ("Appendix 1", "PBC Funding Arrangements 07/08", "Appendix 1"),
        ("", "Sign-off", "Sign-off"),
    ],
)
def test_a_part_is_called_by_its_number_as_the_form_writes_it(number, title, called):
    assert TemplatePart(number=number, title=title).called == called
