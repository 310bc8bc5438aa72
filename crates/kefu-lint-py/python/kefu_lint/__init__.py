"""Checks Chinese customer-service replies (客服回复) for the language service
guidelines forbid, and proposes the courteous rewrite they recommend.

    >>> import kefu_lint
    >>> [f.name for f in kefu_lint.check("亲,这个我不能给您改价哦")]
    ['negative-ability']

Offsets are Python string indices (code points): ``text[f.start:f.end] ==
f.matched`` for every finding. See ``docs/python.md`` for the whole API.
"""

from kefu_lint._fixed import Fixed
from kefu_lint._native import (
    AgentRoles,
    ConfigError,
    Edit,
    Finding,
    Fix,
    Linter,
    PackError,
    Rule,
    __version__,
    check,
    config_roles,
)

__all__ = [
    "AgentRoles",
    "ConfigError",
    "Edit",
    "Finding",
    "Fix",
    "Fixed",
    "Linter",
    "PackError",
    "Rule",
    "__version__",
    "check",
    "config_roles",
]
