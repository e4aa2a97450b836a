"""plans.presenters: what the pages show, worked out from the domain."""

from plans.models import QuestionKind, TemplateQuestion
from plans.presenters import answer_post_shown

PATHWAYS = TemplateQuestion(
    key="pathways",
    kind=QuestionKind.TABLE,
    columns=[
        {"key": "area", "label": "Pathway development area", "type": "text"},
        {"key": "lead", "label": "Lead clinician", "type": "text"},
        {"key": "start", "label": "Start date", "type": "date"},
    ],
)


def test_a_tables_post_is_read_under_its_columns_labels_row_by_row():
    fields = [
        ("q-pathways-base_version", "3"),
        ("q-pathways-rows", "2"),
        ("q-pathways-rows[0].area", "Falls"),
        ("q-pathways-rows[0].lead", "   "),
        ("q-pathways-rows[1].area", "Diabetes & <b>care</b>"),
        ("q-pathways-rows[1].start", "2027-04-01"),
        ("return-to", "question"),
        ("row-action", "add-rows"),
    ]

    assert answer_post_shown(PATHWAYS, fields) == [
        ("Pathway development area, row 1", "Falls"),
        ("Pathway development area, row 2", "Diabetes & <b>care</b>"),
        ("Start date, row 2", "2027-04-01"),
    ]


def test_a_sub_rows_input_is_named_by_its_row_and_the_row_it_is_under():
    projects = TemplateQuestion(key="4-2", kind=QuestionKind.PROJECTS)
    fields = [
        ("q-4-2-projects[0].title", "Prescribing"),
        ("q-4-2-projects[1].targets[2].planned_saving", "12,000"),
    ]

    assert answer_post_shown(projects, fields) == [
        ("Title, project 1", "Prescribing"),
        ("Planned saving in pounds, target 3 of project 2", "12,000"),
    ]


def test_a_row_the_plan_numbers_itself_goes_by_that_number_and_a_dates_box_is_named():
    framework = TemplateQuestion(key="outcomes", kind=QuestionKind.OUTCOME_FRAMEWORK)
    milestones = TemplateQuestion(key="6-2", kind=QuestionKind.MILESTONES)

    assert answer_post_shown(framework, [
        ("q-outcomes-areas[0].number", "6"),
        ("q-outcomes-areas[0].outcomes[1].outcome", "Fewer falls"),
    ]) == [("Number, area 6", "6"), ("Outcome, outcome 2 of area 6", "Fewer falls")]  # fmt: skip
    assert answer_post_shown(milestones, [("q-6-2-milestones[0].due-month", "4")]) == [
        ("Date (month), milestone 1", "4")
    ]


def test_a_rich_text_answer_is_the_answer_and_fields_the_page_does_not_draw_are_left_out():
    question = TemplateQuestion(key="question-1", kind=QuestionKind.RICH_TEXT)
    milestones = TemplateQuestion(key="6-2", kind=QuestionKind.MILESTONES)

    assert answer_post_shown(question, [
        ("q-question-1-text", "<p>Typed.</p>"), ("q-question-1-forged", "x"),
    ]) == [("Answer", "<p>Typed.</p>")]  # fmt: skip
    assert answer_post_shown(milestones, [
        ("q-6-2-milestones", "1"), ("q-6-2-milestones[0].key", "m-1"),
        ("q-6-2-milestones[0].owner", "Chair"),
    ]) == [("Owner, milestone 1", "Chair")]  # fmt: skip


def test_a_row_number_too_long_to_be_a_row_leaves_the_input_named_without_it():
    index = "9" * 5000  # longer than Python reads as a number from text

    shown = answer_post_shown(PATHWAYS, [(f"q-pathways-rows[{index}].area", "Falls")])

    assert shown == [("Pathway development area", "Falls")]


def test_a_self_assessments_rating_and_action_say_which_target_they_are_for():
    question = TemplateQuestion(key="self-assessment", kind=QuestionKind.SELF_ASSESSMENT)

    assert answer_post_shown(question, [
        ("q-self-assessment-framework", "pbc-framework-2006"),
        ("q-self-assessment-ratings.1.1.1.rating", "Green"),
        ("q-self-assessment-ratings.1.1.1.action", "Audit done"),
    ]) == [
        ("Rating for target 1.1.1", "Green"),
        ("Action or evidence for target 1.1.1", "Audit done"),
    ]  # fmt: skip
