"""The page a refused request ends on (pbc.views.permission_denied) says why, where the refusal
says why."""

import html
from importlib import import_module

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from consortia.models import User
from consortia.presenters import people_url
from pbc.views import permission_denied
from tests.factories import ConsortiumFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Role = User.Role


def test_a_refusal_with_a_reason_shows_the_reason_not_the_general_words(client):
    consortium = ConsortiumFactory()
    client.force_login(UserFactory(role=Role.CONSORTIUM_EDITOR, consortium=consortium))

    response = client.get(people_url(consortium))

    page = html.unescape(response.text)
    assert response.status_code == 403
    assert "Only those who run this organisation's people may see them." in page
    assert "Your role does not allow this action." not in page


def test_a_refusal_without_words_shows_the_general_words(rf):
    request = rf.get("/")
    request.user = UserFactory(role=Role.CONSORTIUM_EDITOR)
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "Your role does not allow this action." in response.content.decode()
