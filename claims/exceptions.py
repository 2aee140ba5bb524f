"""Errors the workflow services raise, shared by every door (admin, API, commands, tasks).

- ``WorkflowConflict``: the move is not allowed from the claim's (or assignment's) current state,
  or someone else moved it first. The API answers 409; the admin shows the message.
- ``django.core.exceptions.ValidationError``: the input breaks a rule (a firm rating without
  evidence, a span that does not reproduce its quote). The API answers 400.
- ``django.core.exceptions.PermissionDenied``: the actor's role does not allow the move (403).
"""


class WorkflowConflict(Exception):
    """An illegal or lost-race workflow move. The message names the state and the move."""

    def __init__(self, message: str) -> None:
        super().__init__(message)  # str() of the error is the message, as for any one-argument one
        self.message = message
