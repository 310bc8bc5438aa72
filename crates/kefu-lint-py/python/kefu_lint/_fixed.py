"""``Fixed``, what ``Linter.fix`` returns: a typed pair (a ``NamedTuple``)."""

from typing import NamedTuple


class Fixed(NamedTuple):
    """A reply with its fixes applied and how many were: ``text, applied =
    linter.fix(reply)`` types ``text`` as ``str`` and ``applied`` as ``int``.
    A tuple, so it pickles, copies and compares as one."""

    text: str
    """The reply with the fixes applied."""
    applied: int
    """How many fixes were applied."""
