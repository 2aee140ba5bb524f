"""Errors the workflow services raise, for every door: ``WorkflowConflict`` (an illegal move
or a lost race: the API's 409), and Django's ``ValidationError`` (400) and
``PermissionDenied`` (403)."""


class WorkflowConflict(Exception):
    """An illegal or lost-race workflow move. The message names the state and the move."""

    def __init__(self, message: str) -> None:
        super().__init__(message)  # str() of the error is the message, as for any one-argument one
        self.message = message
