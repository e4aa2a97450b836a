class Refused(Exception):
    """An action the rules do not allow now; ``message`` says why, in the user's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
