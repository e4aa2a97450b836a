from plans.participation_views import WrittenForm


def test_an_empty_letter_form_says_what_each_field_needs():
    form = WrittenForm({"decision": "confirm"}, standings=[])

    assert form.errors == {
        "practice": ["Choose the practice"],
        "on": ["Enter the date of the letter, such as 01/03/2007"],
    }
