class Refused(Exception):
    """An action the rules do not allow now; ``message`` says why, in the user's words, and
    ``field``, where it is about one input, names the form field it is shown at."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
