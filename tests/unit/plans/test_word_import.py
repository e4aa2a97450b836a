"""Success criteria read from Word keep the milestone links a Word file cannot carry, and the
preview says in words what would be lost or needs checking."""

from plans.word_import import criteria_from_text

STORED = {
    "criteria": [
        {"letter": "a", "text": "A referral management system is in place.", "milestones": ["m1"]},
        {"letter": "b", "text": "An urgent care centre is planned.", "milestones": ["m2", "m3"]},
        {"letter": "c", "text": "The top 50 patients have care plans.", "milestones": ["m4"]},
    ]
}


def lines(*texts: str) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def links(data: dict) -> dict[str, list[str]]:
    return {c["letter"]: c["milestones"] for c in data["criteria"]}


def test_the_same_criteria_keep_their_links_and_nothing_is_said():
    data, notes = criteria_from_text(
        lines(*(f"{c['letter']}) {c['text']}" for c in STORED["criteria"])), STORED
    )
    assert links(data) == {"a": ["m1"], "b": ["m2", "m3"], "c": ["m4"]}
    assert notes == []


def test_a_criterion_moved_to_another_letter_keeps_the_links_of_its_words():
    data, notes = criteria_from_text(
        lines(
            "a) The top 50 patients have care plans.",
            "b) A referral management system is in place.",
            "c) An urgent care centre is planned.",
        ),
        STORED,
    )
    assert links(data) == {"a": ["m4"], "b": ["m1"], "c": ["m2", "m3"]}
    assert notes == []


def test_a_reworded_criterion_keeps_the_links_of_its_letter_and_is_named_to_check():
    data, notes = criteria_from_text(
        lines(
            "a) A referral management system is in place.",
            "b) An urgent care centre is open.",
            "c) The top 50 patients have care plans.",
        ),
        STORED,
    )
    assert links(data) == {"a": ["m1"], "b": ["m2", "m3"], "c": ["m4"]}
    assert notes == [
        "Criterion b is worded differently in the document and keeps the milestones linked to "
        "the same letter now: check them on the question's page after importing."
    ]


def test_a_criterion_left_out_of_the_document_is_said_to_take_its_links_with_it():
    data, notes = criteria_from_text(
        lines(
            "a) A referral management system is in place.", "b) An urgent care centre is planned."
        ),
        STORED,
    )
    assert links(data) == {"a": ["m1"], "b": ["m2", "m3"]}
    assert notes == [
        "Criterion c is not in the document, so importing removes the criterion and the "
        "milestones linked to it."
    ]


def test_new_criteria_are_said_to_have_no_milestones_linked():
    data, notes = criteria_from_text(lines("a) One thing.", "b) Another thing."))
    assert links(data) == {"a": [], "b": []}
    assert notes == [
        "Criteria a and b will have no milestones linked, because a Word file does not say "
        "which milestones evidence a criterion. Link them on the question's page after "
        "importing."
    ]
