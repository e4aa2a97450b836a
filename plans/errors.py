class AnswerInvalid(ValueError):
    """Input that cannot be saved as it is; ``message`` is fit to show beside the field."""

    def __init__(self, message: str, *, field: str = ""):
        self.message = message
        self.field = field
        super().__init__(message)


class StaleAnswer(Exception):
    """The answer changed since the editor loaded it; nothing was saved."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"Answer {current.pk} is at version {current.version}")


class AnswersInvalid(AnswerInvalid):
    """Several refusals at once (every wrong cell of a table): each is shown on its own input
    and in the error summary. The first stands for all where one message is read."""

    def __init__(self, refusals: list[AnswerInvalid]):
        self.refusals = list(refusals)
        first = self.refusals[0]
        super().__init__(first.message, field=first.field)


def refusals_of(invalid: AnswerInvalid) -> list[AnswerInvalid]:
    """Every refusal ``invalid`` carries: its own, or each of several."""
    return list(getattr(invalid, "refusals", None) or [invalid])
