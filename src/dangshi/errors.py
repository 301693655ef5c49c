"""The domain errors every service raises; pages and the API turn them into 403/422/409.

Messages are user-facing: Chinese by default (gettext), English when asked.
"""


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message, *, field: str | None = None, row: int | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.row = row
        if code:
            self.code = code

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        if self.row is not None:
            body["row"] = self.row
        return body


class Refused(DomainError):
    """The actor may not do this (403)."""

    status = 403
    code = "refused"


class Invalid(DomainError):
    """The input is wrong; `field` (and `row` for files) says where (422)."""

    status = 422
    code = "invalid"


class Conflict(DomainError):
    """The object's state or a uniqueness rule forbids this now (409)."""

    status = 409
    code = "conflict"
