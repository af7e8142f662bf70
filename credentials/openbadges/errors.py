"""Exceptions raised by :mod:`credentials.openbadges`."""

from __future__ import annotations


class OpenBadgesError(Exception):
    """Base class of the library's own errors."""


class SigningError(OpenBadgesError, ValueError):
    """A credential cannot be signed as given."""


class UndefinedTermsError(SigningError):
    """The document uses properties, types or ids that its ``@context`` does not define.

    ``problems`` holds one plain-English line per problem, naming the property.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class StatusListError(OpenBadgesError, ValueError):
    """An encoded status list or status entry is malformed."""


class BakingError(OpenBadgesError, ValueError):
    """An image cannot be baked or its baked data cannot be read (or is refused)."""
