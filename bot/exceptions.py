"""The application's errors. HTTP status codes are chosen at the edge, not here."""


class HotlineError(Exception):
    """Base of every error the application raises on purpose."""


class InvalidInput(HotlineError):
    """The caller sent something we cannot accept; the message says what, in plain words."""


class EngineUnavailable(HotlineError):
    """The Rasa engine did not answer in time or answered with an error."""


class NotFound(HotlineError):
    pass


class Conflict(HotlineError):
    pass


class Unauthorized(HotlineError):
    """No credentials, or credentials nobody issued."""


class Forbidden(HotlineError):
    """Known credentials without the role the route needs."""


class MalformedRequest(InvalidInput):
    """Not parseable at all: wrong encoding, broken JSON or XML."""


class PayloadTooLarge(InvalidInput):
    pass


class TooManyRequests(HotlineError):
    """Too many attempts in a short time (wrong passwords, wrong phone digits)."""
