from types import SimpleNamespace

from plans.history import revision_who


def test_a_revision_with_no_person_behind_it_was_made_by_the_service():
    assert revision_who(SimpleNamespace(history_user=None)) == "the service"


def test_a_revision_names_the_person_or_their_address():
    named = SimpleNamespace(full_name="Ann Smith", email="ann@example.org")
    unnamed = SimpleNamespace(full_name="", email="pat@example.org")

    assert revision_who(SimpleNamespace(history_user=named)) == "Ann Smith"
    assert revision_who(SimpleNamespace(history_user=unnamed)) == "pat@example.org"
