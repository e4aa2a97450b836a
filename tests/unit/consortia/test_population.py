from consortia.presenters import Population


def population(*, declared=None, practices=3, sized=3, total=None) -> Population:
    return Population(
        declared=declared,
        practice_count=practices,
        sized_practice_count=sized,
        sum_of_list_sizes=total,
    )


def test_the_sum_counts_only_when_every_practice_has_a_list_size():
    assert population(sized=3, total=18_600).computed == 18_600
    assert population(sized=2, total=15_600).computed is None
    assert population(practices=0, sized=0, total=None).computed is None


def test_a_difference_is_flagged_only_when_both_figures_exist_and_differ():
    assert population(declared=18_600, total=18_600).difference is None
    assert population(declared=None, total=18_600).difference is None
    assert population(declared=150_000, sized=0, total=None).difference is None
    assert population(declared=10_000, total=10_250).difference == 250


def test_the_difference_is_said_in_words():
    text = population(declared=10_000, total=10_250).difference_text

    assert text == "The practices' list sizes add up to 10,250, 250 more than the declared 10,000."


def test_a_list_shows_the_computed_then_the_declared_figure():
    assert population(declared=150_000, total=160_000).headline == "160,000"
    assert population(declared=150_000, sized=0, total=None).headline == "150,000 (declared)"
    assert population(sized=1, total=100).headline == "Not known"


def test_a_partial_sum_says_how_many_practices_are_missing():
    assert population(sized=1, total=100).computed_text == (
        "Not known: 1 of 3 practices have a list size"
    )
