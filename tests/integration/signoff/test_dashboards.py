"""The home page's dashboards: what they show each role, for a fixed number of queries."""

import re
from datetime import timedelta
from itertools import product

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consortia.demo import appoint_by_role
from consortia.models import Consortium, User
from plans import services as plan_services
from plans import template_files
from plans.models import Answer, Plan, PlanEvent, QuestionKind
from plans.task_list_cache import lazy_task_list
from signoff.models import Comment, Signature
from signoff.presenters.dashboards import progress_of, with_progress
from tests.factories import CommissionerFactory, PracticeFactory, UserFactory
from tests.plan_factories import plan_with_questions, template_definition
from tests.review_factories import SIGNATORIES, person, put_in_state, three_signatory_plan

Role = User.Role
Status = Plan.Status
pytestmark = pytest.mark.django_db
# session, user, the header's organisation link, four of the dashboards, the tasks
QUERY_BUDGET = 8


def home(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("home"), params)
    assert response.status_code == 200
    return response.content.decode()


def queries_for_home(client, user) -> int:
    home(client, user)  # Sign in and warm up once; then count.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


class TestWhatThePctSees:
    def test_plans_by_state_with_days_waiting_open_comments_and_completion(self, client):
        plan = put_in_state(three_signatory_plan(), Status.IN_REVIEW)
        lead = person(Role.PCT_LEAD, plan)
        PlanEvent.objects.bulk_create(
            [
                PlanEvent(
                    plan=plan,
                    kind=PlanEvent.Kind.TRANSITION,
                    action="start_review",
                    from_status=Status.SUBMITTED,
                    to_status=Status.IN_REVIEW,
                    actor=lead,
                )
            ]
        )
        PlanEvent.objects.filter(plan=plan).update(created_at=timezone.now() - timedelta(days=3))
        asked = plan.template.questions.get(key="question-1")
        for visibility in (Comment.Visibility.SHARED, Comment.Visibility.INTERNAL):
            Comment.objects.create(
                plan=plan, question=asked, author=lead, body="?", visibility=visibility
            )
        resolved = Comment.objects.create(plan=plan, question=asked, author=lead, body="Done")
        Comment.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now())
        Answer.objects.filter(plan=plan, question__key="question-2").update(text="<p></p>")
        draft = three_signatory_plan(
            consortium=UserFactory(
                role=Role.CONSORTIUM_EDITOR,
                consortium__commissioner=plan.consortium.commissioner,
            ).consortium
        )

        page = home(client, lead)

        assert "In review: 1" in page and "Draft: 1" in page
        assert page.index("In review (1)") < page.index("Draft (1)")
        assert "3 days" in page
        assert "3 of 4 required questions completed" in page
        review_row = page[page.index(f'href="/plans/{plan.pk}/"') :].split("</tr>")[0]
        assert ">2</td>" in review_row, "shared and PCT-only threads, not resolved ones"
        assert f'href="/plans/{draft.pk}/"' in page

    def test_a_long_state_shows_its_first_fifty_and_a_link_to_all_by_pages(self, client):
        commissioner = CommissionerFactory()
        populate(commissioner, consortia=12, plans_each=10, statuses=[Status.SUBMITTED])
        lead = UserFactory(role=Role.PCT_LEAD, commissioner=commissioner)

        page = home(client, lead)
        second = home(client, lead, state=Status.SUBMITTED, page=3)

        assert "Submitted: 120" in page
        assert page.count('<tr class="nhsuk-table__row">') == 50
        assert 'href="/?state=submitted"' in page
        assert "See all 120 submitted plans" in page
        assert second.count('<tr class="nhsuk-table__row">') == 20
        assert "Page 2 of 3" in second

    def test_a_filter_on_the_page_lists_each_state_with_its_count_and_every_state(self, client):
        commissioner = CommissionerFactory()
        populate(commissioner, consortia=5, plans_each=1, statuses=[Status.SUBMITTED])
        drafts = Plan.objects.filter(consortium__commissioner=commissioner).order_by("pk")[:2]
        Plan.objects.filter(pk__in=list(drafts.values_list("pk", flat=True))).update(
            status=Status.DRAFT
        )
        lead = UserFactory(role=Role.PCT_LEAD, commissioner=commissioner)

        page = home(client, lead)
        submitted = home(client, lead, state=Status.SUBMITTED)

        form = page.split('<form method="get" action="/"')[1].split("</form>")[0]
        assert '<label class="nhsuk-label" for="state-filter">Show the plans in</label>' in form
        assert '<select class="nhsuk-select" id="state-filter" name="state">' in form
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', form)
        assert options == [
            ("", " selected", "Every state (5)"),
            ("submitted", "", "Submitted (3)"),
            ("draft", "", "Draft (2)"),
        ]
        assert 'type="submit"' in form and ">Show</button>" in form
        # On one state's page the filter still offers every state, that one chosen.
        form = submitted.split('<form method="get" action="/"')[1].split("</form>")[0]
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', form)
        assert options == [
            ("", "", "Every state (5)"),
            ("submitted", " selected", "Submitted (3)"),
            ("draft", "", "Draft (2)"),
        ]
        assert "Submitted plans" in submitted and 'id="state-draft"' not in submitted

    def test_plans_of_another_pct_are_not_shown(self, client):
        plan = three_signatory_plan()
        other = UserFactory(role=Role.PCT_LEAD)

        page = home(client, other)

        assert f'href="/plans/{plan.pk}/"' not in page
        assert "There are no plans yet." in page


class TestWhatTheConsortiumSees:
    def test_its_plans_with_completion_open_comments_on_its_questions_and_what_next(self, client):
        plan = put_in_state(three_signatory_plan(answered=False), Status.CHANGES_REQUESTED)
        editor = person(Role.CONSORTIUM_EDITOR, plan)
        lead = person(Role.PCT_LEAD, plan)
        Answer.objects.filter(plan=plan, question__key__in=["question-1", "question-2"]).update(
            text="<p>Yes.</p>"
        )
        ours, theirs = (plan.template.questions.get(key=k) for k in ("question-1", "fair-shares"))
        Comment.objects.create(plan=plan, question=ours, author=lead, body="Shared, ours")
        Comment.objects.create(plan=plan, question=theirs, author=lead, body="Shared, PCT's")
        Comment.objects.create(
            plan=plan,
            question=ours,
            author=lead,
            body="PCT only",
            visibility=Comment.Visibility.INTERNAL,
        )
        elsewhere = three_signatory_plan()

        page = home(client, editor)

        assert "Your consortium's plans" in page
        assert "2 of 4 required questions completed" in page
        assert (
            "Make the changes the PCT asked for: 2 required questions are not completed yet."
            in page
        )
        row = page[page.index(f'href="/plans/{plan.pk}/"') :].split("</tr>")[0]
        assert "<span>1</span></td>" in row, (
            "only the shared thread on a question the consortium completes"
        )
        assert f'href="/plans/{elsewhere.pk}/"' not in page

    def test_the_chair_is_asked_to_sign_when_it_is_their_turn(self, client):
        plan = put_in_state(three_signatory_plan(), Status.APPROVED)
        chair = person(Role.CONSORTIUM_EXECUTIVE_CHAIR, plan)
        editor = person(Role.CONSORTIUM_EDITOR, plan)

        chair_page = home(client, chair)
        editor_page = home(client, editor)

        assert "Waiting for your signature" in chair_page
        assert f'href="/plans/{plan.pk}/sign/"' in chair_page
        assert "Sign the plan as Consortium Executive Chair." in chair_page
        assert "Waiting for your signature" not in editor_page
        assert "Nothing: waiting for the Consortium Executive Chair to sign." in editor_page


def task_status(client, user, plan, key: str) -> tuple[str, str]:
    """The plan page's progress sentence and the task list's state of question ``key``."""
    client.force_login(user)
    page = client.get(reverse("plan_detail", kwargs={"plan_id": plan.pk})).content.decode()
    progress = re.search(r'id="progress">([^<]*)<', page).group(1)
    status = page.split(f'id="task-{key}-status">')[1].split("</div>")[0]
    return progress, re.sub(r"<[^>]+>", "", status).strip()


def completions(client, plan, users) -> set[str]:
    """What each of ``users``' home pages says of ``plan``'s progress."""
    rows = (
        home(client, user).split(f'href="/plans/{plan.pk}/"')[1].split("</tr>")[0] for user in users
    )
    return {re.search(r"\d+ of \d+ required questions [^<]*", row).group() for row in rows}


STARTED = ("0 of 4 required questions completed, 1 started.", "In progress")
ONE_COMPLETED = ("1 of 4 required questions completed.", "Completed")
ALL_ANSWERED = ("4 of 4 required questions answered.", "Answered")


def assert_progress_agrees(client, plan, key: str, progress: tuple[str, str], *, viewer, homes):
    """``viewer``'s plan page gives ``progress`` (its sentence, and question ``key``'s state in
    the task list), and each of ``homes``' home pages says the same sentence of the plan."""
    assert task_status(client, viewer, plan, key) == progress
    assert completions(client, plan, homes) == {progress[0]}


def consortium_and_pct_people_of(plan) -> tuple[User, User, User]:
    """The plan's consortium editor, its executive chair and its PCT lead."""
    return tuple(
        person(role, plan)
        for role in (Role.CONSORTIUM_EDITOR, Role.CONSORTIUM_EXECUTIVE_CHAIR, Role.PCT_LEAD)
    )


def test_an_answer_only_autosaved_is_in_progress_everywhere_until_saved(client):
    """The task list, the consortium's home and the PCT's home agree (selectors.done_answers)."""
    plan = three_signatory_plan(answered=False)
    editor, chair, lead = consortium_and_pct_people_of(plan)
    answer = Answer.objects.get(plan=plan, question__key="question-1")
    typed = plan_services.answer_save(
        answer=answer, user=editor, text="<p>Typed.</p>", base_version=0, autosave=True
    )

    assert_progress_agrees(
        client, plan, "question-1", STARTED, viewer=editor, homes=(editor, chair, lead)
    )
    assert "4 required questions are not completed yet." in home(client, chair)

    plan_services.answer_save(
        answer=typed, user=editor, text="<p>Typed.</p>", base_version=typed.version
    )

    assert_progress_agrees(
        client, plan, "question-1", ONE_COMPLETED, viewer=chair, homes=(editor, chair, lead)
    )


def test_a_table_prefilled_from_the_records_is_in_progress_everywhere_until_saved(client):
    """The consortium's practices filled in when the plan starts are not a person's answer:
    the task list, both homes and the plan page's count agree it is started, not completed,
    until someone saves the table; once the plan is signed it is answered, as before."""
    plan = three_signatory_plan(answered=False)
    PracticeFactory(consortium=plan.consortium, name="Dale Surgery", code="E82001")
    plan = plan_services.plan_create(
        consortium=plan.consortium, template=plan.template, period="2007/08", title="Next year"
    )
    editor, chair, lead = consortium_and_pct_people_of(plan)
    table = Answer.objects.get(plan=plan, question__key="practices")
    assert table.rows == [{"name": "Dale Surgery", "code": "E82001"}]

    assert_progress_agrees(
        client, plan, "practices", STARTED, viewer=editor, homes=(editor, chair, lead)
    )

    plan_services.answer_save(answer=table, user=editor, rows=table.rows, base_version=0)

    assert_progress_agrees(
        client, plan, "practices", ONE_COMPLETED, viewer=chair, homes=(editor, chair, lead)
    )


def test_a_signed_plans_prefilled_table_is_answered_as_before(client):
    """Frozen, every written answer is answered: a table never saved as much as any."""
    editor, chair, lead = consortium_and_pct_people()
    plan = editor.consortium.plans.get()
    PracticeFactory(consortium=plan.consortium, name="Dale Surgery", code="E82001")
    Answer.objects.filter(plan=plan, question__key="practices").update(
        text="", rows=[{"name": "Dale Surgery", "code": "E82001"}], prefilled=True
    )
    put_in_state(plan, Status.SIGNED)

    assert_progress_agrees(
        client, plan, "practices", ALL_ANSWERED, viewer=chair, homes=(editor, chair, lead)
    )


@pytest.mark.parametrize("status", [Status.DRAFT, Status.APPROVED])
def test_the_progress_counted_in_sql_is_the_task_lists_for_every_mix_of_answers(status):
    """The homes and the round page count in the database what the plan page counts from its
    task list: written or not, only typed, carried forward, filled in from the consortium's
    records (prefilled), on required questions or not."""
    shapes = list(product(["", "<p>Written.</p>"], [False, True], [False, True], [False, True]))
    plan = plan_with_questions(questions=2 * len(shapes) + 2)
    answers = plan.answers.filter(question__key__startswith="question-")
    for answer, (text, autosaved, carried, prefilled) in zip(
        answers.order_by("question__position"), shapes * 2, strict=False
    ):
        Answer.objects.filter(pk=answer.pk).update(
            text=text, autosaved=autosaved, carried_forward=carried, prefilled=prefilled
        )
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()

    in_sql = progress_of(with_progress(Plan.objects.filter(pk=plan.pk), open_threads=Q()).get())
    in_python = lazy_task_list(plan).progress

    assert in_sql == in_python
    assert in_sql.started > in_sql.completed > 0 or status == Status.APPROVED


def open_comments_cell(page: str, plan) -> str:
    """The open comments a home page's row of ``plan`` counts (PCT's or consortium's)."""
    row = page.split(f'href="/plans/{plan.pk}/"')[1].split("</tr>")[0]
    return re.search(r"Open comments[^<]*</span>(?:<span>)?(\d+)", row).group(1)


def four_open_threads_and_an_answer_only_typed(editor, lead) -> Plan:
    """BANES plan 4 in small: the editor's plan with open threads and an answer only typed."""
    plan = editor.consortium.plans.get()
    answer = Answer.objects.get(plan=plan, question__key="question-1")
    plan_services.answer_save(
        answer=answer, user=editor, text="<p>Typed.</p>", base_version=answer.version,
        autosave=True,
    )  # fmt: skip
    ours = plan.template.questions.get(key="question-1")
    for _ in range(4):
        Comment.objects.create(plan=plan, question=ours, author=lead, body="Why?")
    return plan


def consortium_and_pct_people():
    return consortium_and_pct_people_of(three_signatory_plan())


def test_a_signed_plans_task_list_shows_its_answers_as_answered_not_in_progress(client):
    """Past approval no answer can change: no "In progress", "completed" or "started"."""
    editor, chair, lead = consortium_and_pct_people()
    plan = four_open_threads_and_an_answer_only_typed(editor, lead)
    assert task_status(client, chair, plan, "question-1")[1] == "In progress"
    put_in_state(plan, Status.SIGNED)

    assert task_status(client, chair, plan, "question-1") == ALL_ANSWERED
    part_page = client.get(reverse("part_detail", args=[plan.pk, "two"])).content.decode()
    assert "In progress" not in part_page and "Answered</strong>" in part_page


def test_a_signed_plans_dashboard_rows_count_its_answers_and_its_open_comments(client):
    """A frozen plan's open comments are still open: the homes count them (docs/decisions/0496)
    and say that no answer can change until it is reopened."""
    editor, chair, lead = consortium_and_pct_people()
    plan = four_open_threads_and_an_answer_only_typed(editor, lead)
    assert open_comments_cell(home(client, chair), plan) == "4"
    put_in_state(plan, Status.SIGNED)

    assert completions(client, plan, (editor, chair, lead)) == {ALL_ANSWERED[0]}
    for reader in (chair, lead):
        page = home(client, reader)
        assert open_comments_cell(page, plan) == "4"
        assert "No answer can change until the plan is reopened." in row_of(page, plan)


def row_of(page: str, plan) -> str:
    return page.split(f'href="/plans/{plan.pk}/"')[1].split("</tr>")[0]


def task_hint(page: str, key: str) -> str:
    return re.search(rf'id="task-{key}-hint">(.*?)</div>', page).group(1)


def plan_page(client, user, plan) -> str:
    client.force_login(user)
    return client.get(reverse("plan_detail", kwargs={"plan_id": plan.pk})).content.decode()


@pytest.mark.parametrize("status", [Status.APPROVED, Status.SIGNED])
def test_a_frozen_plans_open_comment_is_one_on_the_home_and_on_the_plan_page(client, status):
    """The PCT lead reads the same figure on both pages, each saying why it waits."""
    editor, _, lead = consortium_and_pct_people()
    plan = editor.consortium.plans.get()
    question = plan.template.questions.get(key="question-1")
    Comment.objects.create(plan=plan, question=question, author=lead, body="Why?")
    resolved = Comment.objects.create(plan=plan, question=question, author=lead, body="Done")
    Comment.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now())
    put_in_state(plan, status)

    home_page, contents = home(client, lead), plan_page(client, lead, plan)

    assert open_comments_cell(home_page, plan) == "1"
    assert "No answer can change until the plan is reopened." in row_of(home_page, plan)
    assert task_hint(contents, "question-1").endswith("· 1 open comment")
    said = re.search(r'id="open-comments-frozen">([^<]*)<', contents).group(1)
    assert said.startswith("1 open comment. The plan has been approved: no answer can change")


def test_an_open_plans_comments_carry_no_note_of_a_frozen_plan(client):
    editor, _, lead = consortium_and_pct_people()
    plan = four_open_threads_and_an_answer_only_typed(editor, lead)

    home_page, contents = home(client, lead), plan_page(client, lead, plan)

    assert open_comments_cell(home_page, plan) == "4"
    assert "reopened" not in row_of(home_page, plan)
    assert 'id="open-comments-frozen"' not in contents


def test_a_pct_signatory_sees_the_plans_waiting_for_their_signature_only(client):
    waiting = put_in_state(three_signatory_plan(), Status.SIGNING)  # The chair has signed.
    not_yet = put_in_state(
        three_signatory_plan(
            consortium=UserFactory(
                role=Role.CONSORTIUM_EDITOR,
                consortium__commissioner=waiting.consortium.commissioner,
            ).consortium
        ),
        Status.APPROVED,
    )
    pec = person(Role.PEC_COMMITTEE_CHAIR, waiting)
    ceo = person(Role.PCT_CHIEF_EXECUTIVE, waiting)

    pec_page, ceo_page = home(client, pec), home(client, ceo)

    assert f'href="/plans/{waiting.pk}/sign/"' in pec_page
    assert f'href="/plans/{not_yet.pk}/sign/"' not in pec_page
    assert "Waiting for your signature" not in ceo_page


# --- The query budget ----------------------------------------------------------------------------


def populate(commissioner, *, consortia: int, plans_each: int, statuses=tuple(Status)) -> None:
    """``consortia`` consortia of ``plans_each`` plans each, in every state, with answers,
    events, comments and signatures: written in bulk."""
    definition = template_definition(
        questions=10, issuer=commissioner.slug, family=f"budget-{commissioner.pk}"
    )
    definition["signatories"] = [{**block, "step": str(block["step"])} for block in SIGNATORIES]
    template = template_files.store(definition)
    questions = list(template.questions.exclude(kind=QuestionKind.SIGNOFF))
    chair_of = {}
    groups = Consortium.objects.bulk_create(
        Consortium(slug=f"b{commissioner.pk}-{n}", name=f"Group {n}", commissioner=commissioner)
        for n in range(consortia)
    )
    chairs = User.objects.bulk_create(
        User(
            email=f"chair-{group.slug}@example.org",
            full_name=f"Chair {group.slug}",
            role=Role.CONSORTIUM_EXECUTIVE_CHAIR,
            consortium=group,
            commissioner=commissioner,
        )
        for group in groups
    )
    chair_of = {chair.consortium_id: chair for chair in chairs}
    plans = Plan.objects.bulk_create(
        Plan(
            consortium=group,
            template=template,
            period=f"{2000 + n}/{(n + 1) % 100:02d}",
            title=f"Plan {group.slug} {n}",
            status=statuses[(group.pk + n) % len(statuses)],
        )
        for group in groups
        for n in range(plans_each)
    )
    Answer.objects.bulk_create(
        Answer(plan=plan, question=question, text="<p>Yes</p>" if n % 4 else "")
        for plan in plans
        for n, question in enumerate(questions)
    )
    PlanEvent.objects.bulk_create(
        PlanEvent(plan=plan, kind=PlanEvent.Kind.TRANSITION, action="submit", to_status=plan.status)
        for plan in plans
    )
    Comment.objects.bulk_create(
        Comment(plan=plan, question=questions[2], author=chair_of[plan.consortium_id], body="?")
        for plan in plans
    )
    Signature.objects.bulk_create(
        Signature(
            plan=plan,
            role=SIGNATORIES[0]["key"],
            title=SIGNATORIES[0]["title"],
            position=1,
            user=chair_of[plan.consortium_id],
            typed_name="Chair",
            signed_at=timezone.now(),
            content_sha256="0" * 64,
        )
        for plan in plans
        if plan.status == Status.SIGNING
    )


def test_the_leads_home_page_costs_the_same_queries_for_1_or_20_forms(client):
    """The lead's home page counts their PCT's forms (plans.pages.home_forms) in one query."""
    lead = UserFactory(role=Role.PCT_LEAD, commissioner=CommissionerFactory())

    def load_forms(numbers):
        for n in numbers:
            template_files.store(
                template_definition(questions=2, issuer=lead.commissioner.slug, family=f"f{n}")
            )

    load_forms(range(1))
    one = queries_for_home(client, lead)
    load_forms(range(1, 20))
    twenty = queries_for_home(client, lead)

    assert twenty == one <= QUERY_BUDGET
    assert "20 versions loaded: 20 published." in home(client, lead)


@pytest.mark.parametrize(
    "role", [Role.PCT_LEAD, Role.PEC_COMMITTEE_CHAIR, Role.CONSORTIUM_EXECUTIVE_CHAIR]
)
def test_the_home_page_costs_the_same_queries_for_2_or_2000_plans(client, role):
    small, large = CommissionerFactory(), CommissionerFactory()
    populate(small, consortia=2, plans_each=1)
    populate(large, consortia=200, plans_each=10)

    def someone(commissioner):
        if role in User.CONSORTIUM_ROLES:
            user = User.objects.filter(role=role, commissioner=commissioner).first()
        else:
            user = UserFactory(role=role, commissioner=commissioner)
        appoint_by_role(user)
        return user

    in_large = someone(large)
    few = queries_for_home(client, someone(small))
    many = queries_for_home(client, in_large)

    assert many == few <= QUERY_BUDGET
    if role == Role.PEC_COMMITTEE_CHAIR:
        page = home(client, in_large)
        assert page.count("/sign/") == 50, "at most fifty waiting signatures"
        assert page.count('<tr class="nhsuk-table__row">') == 8 * 50
