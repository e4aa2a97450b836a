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
