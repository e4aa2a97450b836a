"""Every part page and question page of the demo plan has one h1 and headings that never skip
a level, whatever levels the stored guidance, notes and answers were written with."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consortia.models import User
from tests.plan_factories import demo_daccom_plan_with_comments
from tests.two_factor import SecondFactorClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []
        self._in_textarea = False

    def handle_starttag(self, tag, attrs):
        if tag == "textarea":  # the editor's source text is not part of the page's outline
            self._in_textarea = True
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" and not self._in_textarea:
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in_textarea = False


def skips(html: str) -> list[tuple[int, int]]:
    parser = Headings()
    parser.feed(html)
    assert parser.levels[:1] == [1] and parser.levels.count(1) == 1, parser.levels
    return [(a, b) for a, b in zip(parser.levels, parser.levels[1:], strict=False) if b > a + 1]


@pytest.mark.parametrize("email", ["editor.daccom@example.org", "lead.dacorum-pct@example.org"])
def test_part_and_question_pages_never_skip_a_heading_level(email):
    plan = demo_daccom_plan_with_comments()
    client = SecondFactorClient()
    client.force_login(User.objects.get(email=email))
    for part in plan.template.parts.all():
        page = client.get(reverse("part_detail", args=[plan.pk, part.key]))
        assert page.status_code == 200
        assert skips(page.content.decode()) == [], f"part {part.key}"
        for question in [q for q in part.questions.all() if q.answerable][:3]:
            page = client.get(reverse("answer_edit", args=[plan.pk, question.key]))
            assert page.status_code == 200
            assert skips(page.content.decode()) == [], f"question {question.key}"
