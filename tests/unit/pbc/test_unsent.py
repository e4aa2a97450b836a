"""What pbc/security/unsent.py keeps of a post, and what it never keeps."""

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from pbc.security import unsent


def posted(path: str, data: dict):
    request = RequestFactory().post(path, data)
    # As the server reads it: the factory would take "//host/..." for a host and a path.
    request.path = path.split("?")[0]
    request.session = SessionStore()
    return request


def test_a_forms_fields_are_kept_with_the_address_and_its_query():
    request = posted(
        "/plans/1/questions/a/?page=2", {"q-a-text": "Typed", "csrfmiddlewaretoken": "t"}
    )

    assert unsent.keep(request)
    kept = unsent.kept(request)
    assert (kept.address, kept.fields) == ("/plans/1/questions/a/?page=2", (("q-a-text", "Typed"),))


@pytest.mark.parametrize(
    ("path", "data"),
    [
        pytest.param("/plans/1/sign/", {"typed_name": "A", "password": "x"}, id="a password"),
        pytest.param("/account/password/", {"new_password1": "x"}, id="a numbered password"),
        pytest.param("/sign-in/code/", {"code": "123456"}, id="an authenticator code"),
        pytest.param("//evil.example/plans/", {"text": "x"}, id="an address read as another host"),
        pytest.param("/plans/1/", {}, id="no fields"),
    ],
)
def test_a_post_is_not_kept_with(path, data):
    request = posted(path, data)

    assert not unsent.keep(request)
    assert unsent.kept(request) is None


@pytest.mark.parametrize(
    ("referer", "sent_from"),
    [
        ("http://testserver/plans/1/parts/2/?view=all", "/plans/1/parts/2/?view=all"),
        ("http://elsewhere.example/plans/1/", ""),
        ("http://testserver//elsewhere.example/plans/", ""),
        ("http://testserver/plans/?q=\ud800", ""),
        ("http://testserver/plans/?q=\x00", ""),
        ("", ""),
    ],
)
def test_the_page_the_form_was_on_is_kept_where_the_browser_names_one_of_this_sites(
    referer, sent_from
):
    request = posted("/plans/1/comments/", {"comment-q-a-body": "Typed"})
    request.META["HTTP_REFERER"] = referer

    assert unsent.keep(request)
    assert unsent.kept(request).sent_from == sent_from
