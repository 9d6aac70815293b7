"""Errors the services raise; the web, CLI and job adapters turn them into answers."""


class DomainError(Exception):
    """Base of every expected failure; `status` is the HTTP answer it maps to."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """Input that breaks a rule; `field` names the offending field when there is one."""


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Unauthorized(DomainError):
    """Missing or bad credentials: a signature that does not verify, a stale timestamp."""

    status = 401


class TooLarge(DomainError):
    status = 413


class Throttled(DomainError):
    status = 429


class Unavailable(DomainError):
    """Something the answer depends on (Redis) cannot be reached right now; the caller may try again."""

    status = 503
