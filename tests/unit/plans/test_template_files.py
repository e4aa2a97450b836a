import copy
import json as json_module
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from consortia import services as organisation_services
from consortia.models import User
from plans import template_files
from plans.models import PlanTemplate, QuestionKind, TemplateQuestion
from tests.factories import CommissionerFactory, ConsortiumFactory, UserFactory
from tests.plan_factories import template_definition
from tests.review_factories import SIGNATORIES

pytestmark = pytest.mark.django_db


def definition_from_a_new_pct(**kwargs) -> dict:
    """A valid form definition (``kwargs`` as for template_definition) issued by a new PCT."""
    return template_definition(issuer=CommissionerFactory().slug, **kwargs)


def reimported_outcome(template: PlanTemplate) -> template_files.Outcome:
    """What a preview says of ``template`` downloaded as a file and loaded again."""
    downloaded = template_files.dump(template).encode()
    return template_files.preview(template_files.parse(downloaded)).outcome


@pytest.fixture
def demo_pcts():
    for slug in ("dacorum-pct", "west-herts-pct", "banes-pct"):
        CommissionerFactory(slug=slug)


def test_all_four_seed_forms_load(demo_pcts):
    templates = {template.slug: template for template in template_files.load_all()}

    assert set(templates) == {
        "daccom-locality-plan-v2",
        "daccom-locality-plan-2006",
        "red-house-plan",
        "banes-plan",
    }
    assert templates["daccom-locality-plan-v2"].version_label == "May 2006 Version 2.0"
    daccom_chair, *pct_signatories = SIGNATORIES
    assert templates["daccom-locality-plan-2006"].signatories == [
        {**daccom_chair, "title": "DacCom Executive Chair"},
        *pct_signatories,
    ]
    red_house = templates["red-house-plan"]
    assert red_house.signatories == [], "the document asks for approval, not signatures"
    assert red_house.approved_by == "clinical governance sub-committee"


def test_later_daccom_form_renumbers_7_x_but_keeps_the_keys(demo_pcts):
    template_files.load_all()

    def numbers(slug):
        return dict(
            TemplateQuestion.objects.filter(template__slug=slug).values_list("key", "number")
        )

    old, new = numbers("daccom-locality-plan-v2"), numbers("daccom-locality-plan-2006")
    assert old["quality-of-patient-care"] == "7.1"
    assert new["quality-of-patient-care"] == "7.2"
    assert old["workforce-skills"] == "7.8"
    assert new["workforce-skills"] == "7.9"
    assert new["accountability-and-governance"] == "7.1"
    assert "accountability-and-governance" not in old


def test_banes_pathway_table_has_the_documents_columns(demo_pcts):
    template_files.load_all()

    table = TemplateQuestion.objects.get(template__slug="banes-plan", key="pathway-development")

    assert [c["key"] for c in table.columns] == [
        "area",
        "description",
        "leads",
        "progress",
        "next_steps",
    ]


def test_a_step_that_is_no_number_is_refused_alone_not_again_in_the_steps_after_it():
    data = definition_from_a_new_pct()
    data["signatories"] = [
        {"title": "Chair", "side": "consortium", "position": "Chair", "step": "first"},
        {"title": "Finance", "side": "pct", "position": "Director of Finance", "step": "2"},
        {"title": "Chief", "side": "pct", "position": "Chief Executive", "step": "4"},
    ]

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.store(data)

    assert [str(problem) for problem in refusal.value.problems] == [
        "Signatory 1 ('Chair'): 'step' 'first' must be a whole number, such as 1 or 2",
        "Signatory 3 ('Chief'): 'step' 4 does not follow on: steps go 1, 2, 3 in the order of "
        "the block, and several signatories of one step sign in any order; write 2 (signing "
        "with the one before) or 3",
    ]


def test_a_bad_definition_is_refused_whole_with_every_problem_located_by_its_number():
    data = definition_from_a_new_pct()
    data["parts"][1]["questions"][0]["kind"] = "essay"
    data["parts"][1]["questions"][1]["key"] = "question-3"
    del data["parts"][0]["questions"][1]["title"]

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.store(data)

    assert [str(problem) for problem in refusal.value.problems] == [
        "Part 1, question 1.2: 'title' is missing",
        "Part 2, question 2.1: unknown kind 'essay'; the kinds are: "
        + ", ".join(QuestionKind.values),
        "Part 2, question 2.3: duplicate question key 'question-3' (also Part 2, question 2.2)",
    ]
    assert not PlanTemplate.objects.exists()


def test_numbers_and_versions_are_kept_exactly_as_written_quoted_or_not():
    text = yaml.safe_dump(definition_from_a_new_pct(), sort_keys=False)
    text = text.replace("version_label: v10", "version_label: 2.0")
    text = text.replace("number: '2.1'", "number: 2.10").replace("number: '2.2'", "number: 010")

    template = template_files.store(template_files.parse(text.encode()))

    numbers = dict(template.questions.values_list("key", "number"))
    assert template.version_label == "2.0"
    assert numbers["question-1"] == "2.10"
    assert numbers["question-2"] == "010"


def test_an_unquoted_iso_date_is_read_as_that_date():
    text = yaml.safe_dump(definition_from_a_new_pct(), sort_keys=False)

    template = template_files.store(
        template_files.parse(f"version_date: 2006-05-01\n{text}".encode())
    )

    assert template.version_date == date(2006, 5, 1)


def test_the_slug_comes_from_the_file_not_its_name(tmp_path):
    path = tmp_path / "Some other name.yaml"
    path.write_text(yaml.safe_dump(definition_from_a_new_pct()))

    template = template_files.load_file(path)

    assert template.slug == "test-form-v10"


def test_a_file_too_large_is_refused_by_its_size_without_being_read(tmp_path):
    sparse = tmp_path / "huge.yaml"
    with sparse.open("wb") as stream:
        stream.truncate(10**10)  # 10 GB of nothing: reading it would exhaust memory

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.read_file(sparse)

    assert str(refusal.value) == "File: is 10000.0 MB; a definition file may be at most 1.0 MB"


def test_an_upload_too_large_is_refused_by_its_size_without_being_read():
    class Upload:
        size = 5_000_000

        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(template_files.DefinitionError, match=r"is 5\.0 MB"):
        template_files.read_upload(Upload())


def test_a_preview_says_what_will_be_created_and_stores_nothing():
    data = {**definition_from_a_new_pct(questions=5), "status": "draft"}

    preview = template_files.preview(data)

    assert preview.outcome == template_files.Outcome.CREATE
    assert preview.parts == [
        {"number": "1", "title": "Part one", "questions": 2},
        {"number": "2", "title": "Part two", "questions": 3},
        {"number": "3", "title": "Sign-off", "questions": 1},
    ]
    assert preview.kinds == [("Table", 1), ("Text", 4), ("Sign-off", 1)]
    assert preview.signatories == [
        {"title": "Chair", "position": "consortium Executive Chair", "step": 1}
    ]
    assert preview.warnings[0].startswith("It is imported as a draft")
    assert not PlanTemplate.objects.exists()


def test_a_changed_file_for_a_published_version_is_refused_and_the_template_kept():
    data = definition_from_a_new_pct()
    template_files.store(data)
    changed = copy.deepcopy(data)
    changed["name"] = "Renamed"
    changed["parts"][1]["questions"][0]["title"] = "Reworded"

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.store(changed)

    assert str(refusal.value) == (
        "Template: version v10 is published: give this file a new version (a new slug and "
        "version_label) to change it; it differs in: name, Part 2"
    )
    assert PlanTemplate.objects.get().name == "Test commissioning plan"


def test_the_same_file_again_changes_nothing_and_says_so():
    data = definition_from_a_new_pct()
    template = template_files.store(data)

    preview = template_files.preview(copy.deepcopy(data))

    assert preview.outcome == template_files.Outcome.UNCHANGED
    assert preview.result == (
        "Test commissioning plan [v10] was already imported as the file says; nothing changed"
    )
    assert template_files.store_previewed(preview) == template
    assert PlanTemplate.objects.count() == 1


def test_a_retired_version_loaded_again_stays_retired_with_a_warning():
    data = definition_from_a_new_pct()
    template = template_files.store(data)
    PlanTemplate.objects.filter(pk=template.pk).update(status=PlanTemplate.Status.RETIRED)

    preview = template_files.preview(data)

    assert preview.outcome == template_files.Outcome.UNCHANGED
    assert preview.warnings == [
        "The file says status 'published'; the template stays 'retired' (change it on the "
        "template page)."
    ]


def test_a_changed_draft_replaces_the_draft():
    data = {**definition_from_a_new_pct(), "status": "draft"}
    template_files.store(data)

    preview = template_files.preview({**data, "name": "Second draft"})
    replaced = template_files.store_previewed(preview)

    assert preview.outcome == template_files.Outcome.REPLACE_DRAFT
    assert PlanTemplate.objects.get() == replaced
    assert replaced.name == "Second draft"


def test_export_gives_back_a_definition_that_loads_as_the_same_form():
    template = template_files.store(definition_from_a_new_pct())

    exported = template_files.export(template)
    exported.update(slug="form-copy", version_label="copy")
    copy_template = template_files.store(exported)

    assert list(copy_template.questions.values_list("key", "number", "kind")) == list(
        template.questions.values_list("key", "number", "kind")
    )


def test_a_downloaded_demo_form_imports_as_unchanged(demo_pcts):
    for template in template_files.load_all():
        assert reimported_outcome(template) == template_files.Outcome.UNCHANGED


def test_typed_columns_are_read_and_bad_ones_refused_with_located_messages():
    data = definition_from_a_new_pct()
    question = data["parts"][0]["questions"][0]
    question.update(kind="table", columns=[
        {"key": "risk", "label": "Risk", "type": "choice"},
        {"key": "likelihood", "label": "Likelihood", "type": "number"},
        {"key": "impact", "label": "Impact", "type": "whole", "options": ["1", "2"]},
        {"key": "score", "label": "Score", "type": "whole", "formula": "likelihood * size"},
        {"key": "name", "label": "Name", "total": "sum"},
        {"key": "agreed", "label": "Agreed", "type": "yes_no", "total": "average"},
    ])  # fmt: skip

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.store(data)

    problems = [str(problem) for problem in refusal.value.problems]
    assert (
        problems[0]
        == "Part 1, question 1.1, column 1: a 'choice' column needs 'options', the choices listed"
    )
    assert problems[1].startswith("Part 1, question 1.1, column 2: unknown type 'number'")
    assert "'options' are only for a 'choice' column" in problems[2]
    assert "uses size, which is not a column of this table" in problems[3]
    assert "only a number can be summed" in problems[4]
    assert problems[5].startswith("Part 1, question 1.1, column 6: unknown total 'average'")


def test_good_typed_columns_are_stored_as_written():
    data = definition_from_a_new_pct()
    columns = [
        {"key": "likelihood", "label": "Likelihood", "type": "whole"},
        {"key": "impact", "label": "Impact", "type": "whole"},
        {"key": "score", "label": "Score", "type": "whole", "formula": "likelihood * impact",
         "total": "sum"},
        {"key": "rag", "label": "RAG", "type": "choice", "options": ["Red", "Green"]},
    ]  # fmt: skip
    data["parts"][0]["questions"][0].update(kind="table", columns=columns)

    template = template_files.store(data)

    assert template.questions.get(kind="table").columns == columns


def test_text_with_a_less_than_sign_and_html_of_the_subset_are_stored_as_written():
    data = definition_from_a_new_pct()
    question = data["parts"][0]["questions"][0]
    question["title"] = "Patients < 5 years and <5 visits"
    guidance = (
        '<h3>Before you start</h3><p>See <a href="https://example.org/guide" title="Guide">'
        "the guide</a> &amp; <strong>each</strong> <em>part</em>.<br></p>"
        "<ul><li>One</li></ul><ol><li>Two</li></ol><h4>Then</h4>"
    )
    data["parts"][0]["guidance"] = guidance

    template = template_files.store(data)

    assert template.questions.get(key=question["key"]).title == question["title"]
    stored = template.parts.get(key=data["parts"][0]["key"]).guidance
    assert stored == guidance.replace('title="Guide"', 'title="Guide" rel="noopener noreferrer"')
    assert reimported_outcome(template) == template_files.Outcome.UNCHANGED


def test_a_misspelt_column_type_is_reported_once_not_again_through_its_total():
    data = definition_from_a_new_pct()
    data["parts"][0]["questions"][0].update(
        kind="table", columns=[{"key": "budget", "label": "Budget", "type": "mony", "total": "sum"}]
    )

    with pytest.raises(template_files.DefinitionError) as refusal:
        template_files.store(data)

    (problem,) = refusal.value.problems
    assert str(problem).startswith(
        "Part 1, question 1.1, column 1: unknown type 'mony' (did you mean 'money'?); the column "
        "types are: text, long_text, whole, money,"
    )


SCHEMA_TABLES = {
    "template": template_files.TEMPLATE_FIELDS,
    "party": template_files.PARTY_FIELDS,
    "signatory": template_files.SIGNATORY_FIELDS,
    "part": template_files.PART_FIELDS,
    "question": template_files.QUESTION_FIELDS,
    "column": template_files.COLUMN_FIELDS,
}


def documented_fields() -> dict[str, set[str]]:
    """The field table of docs/definition-files.md, level by level."""
    text = (Path(__file__).parents[3] / "docs" / "definition-files.md").read_text()
    table = text.split("### The fields")[1].split("###")[0]
    fields: dict[str, set[str]] = {}
    level = ""
    for row in table.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("level", "---"):
            continue
        level = cells[0] or level
        fields.setdefault(level, set()).update(re.findall(r"`([a-z_]+)`", cells[1]))
    return fields


def test_the_documented_fields_are_the_ones_the_importer_reads():
    assert documented_fields() == {level: set(fields) for level, fields in SCHEMA_TABLES.items()}


# What a person's editing does to a file: a character put in, taken out or replaced.
MISTAKES = ['"', "'", "\t", " ", "\n", ":", "-", "[", "]", "{", "}", ",", "*", "&", "!", "%",
            "@", "`", "|", ">", "#", "\\", "?", "...", "---"]  # fmt: skip
PARSER_WORDS = ("<block", "<scalar>", "<stream", "while parsing", "while scanning", "token",
                "expected", "but found", "but got")  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    json=st.booleans(),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from(("insert", "delete", "replace")),
            st.sampled_from(MISTAKES),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_a_mangled_file_is_read_or_refused_in_words_never_in_the_parsers(json, edits):
    data = template_definition(issuer="northbrook-pct")
    text = json_module.dumps(data, indent=1) if json else yaml.safe_dump(data)
    for where, edit, mistake in edits:
        at = int(where * (len(text) - 1))
        cut = at + (edit != "insert")
        text = text[:at] + ("" if edit == "delete" else mistake) + text[cut:]

    try:
        template_files.parse(text.encode())
    except template_files.DefinitionError as refusal:
        for problem in refusal.problems:
            assert not any(word in str(problem) for word in PARSER_WORDS), str(problem)
            assert problem.location.startswith(("Line ", "File")), str(problem)


def consortia_with_a_chair_at_the_first(count: int):
    """A new PCT with ``count`` consortia, the first of whose Executive Chair is held (its
    position named in other letter case than the forms name it), and a PCT Chief Executive who
    has left."""
    pct = CommissionerFactory()
    consortia = [ConsortiumFactory(commissioner=pct) for _ in range(count)]
    chair = UserFactory(role=User.Role.CONSORTIUM_EXECUTIVE_CHAIR, consortium=consortia[0])
    held = organisation_services.position_get_or_create(
        commissioner=pct, consortium=consortia[0], body="", name="executive chair"
    )
    organisation_services.position_assign(
        position=held, user=chair, started_on=timezone.localdate()
    )
    gone = UserFactory(role=User.Role.PCT_CHIEF_EXECUTIVE, commissioner=pct, consortium=None)
    left = organisation_services.position_get_or_create(
        commissioner=pct, consortium=None, body="", name="Chief Executive"
    )
    organisation_services.position_assign(position=left, user=gone, started_on=timezone.localdate())
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return pct, consortia


def pct_and_consortium_signatories(pct) -> dict:
    definition = template_definition(issuer=pct.slug)
    definition["signatories"] = [
        {"key": "chair", "title": "Chair", "side": "consortium", "body": "",
         "position": "Executive Chair", "step": "1"},
        {"key": "chief", "title": "Chief Executive", "side": "pct", "body": "",
         "position": "Chief Executive", "step": "2"},
    ]  # fmt: skip
    return definition


def test_a_preview_names_each_position_no_one_holds_at_each_consortium_and_the_pct():
    pct, (_held, second, third) = consortia_with_a_chair_at_the_first(3)

    warnings = template_files.preview(pct_and_consortium_signatories(pct)).warnings

    unheld = [warning.split(":")[0] for warning in warnings if warning.startswith("No one holds")]
    assert unheld == [
        f"No one holds consortium Executive Chair at {second}",
        f"No one holds consortium Executive Chair at {third}",
        f"No one holds PCT Chief Executive at {pct}",
    ]


def test_the_check_of_who_holds_the_positions_costs_the_same_queries_for_any_number_of_consortia():
    counts = []
    for count in (1, 6):
        pct, _ = consortia_with_a_chair_at_the_first(count)
        definition = pct_and_consortium_signatories(pct)
        with CaptureQueriesContext(connection) as captured:
            template_files.preview(definition)
        counts.append(len(captured))

    assert counts[0] == counts[1], counts
