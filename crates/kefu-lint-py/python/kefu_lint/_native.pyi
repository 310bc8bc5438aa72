"""Type stubs of the native module ``kefu_lint._native`` (PyO3)."""

import os
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Literal, Optional, TypeVar, Union, final

from kefu_lint._fixed import Fixed

__all__ = [
    "AgentRoles",
    "ConfigError",
    "Edit",
    "Finding",
    "Fix",
    "Linter",
    "PackError",
    "Rule",
    "__version__",
    "check",
    "config_roles",
    "_restore_edit",
    "_restore_finding",
    "_restore_fix",
    "_restore_rule",
]

__version__: str
"""The package's version (the Rust crate's, such as ``0.1.0``)."""

_Severity = Literal["info", "warning", "error"]
_Applicability = Literal["safe", "unsafe", "display-only"]
_Mode = Literal["draft", "library"]
_StrPath = Union[str, "os.PathLike[str]"]
# Lists of names: a list, tuple or set, never a bare ``str`` (which is an
# iterable of strings, so ``Iterable[str]`` would let ``select="but"`` by;
# the runtime refuses it with TypeError too).
_Names = Union[list[str], tuple[str, ...], AbstractSet[str]]
# Texts to check, in order: a list or tuple, never one ``str`` (TypeError).
_Texts = Union[list[str], tuple[str, ...]]
_P = TypeVar("_P", bound=_StrPath)
# Paths: a list (invariant, so its item type is a type variable: list[str],
# list[Path], or an annotated list[str | Path]), a tuple or a set of them.
# mypy infers an unannotated [str, Path] as list[object], which it refuses.
_Paths = Union[list[_P], tuple[_StrPath, ...], AbstractSet[_StrPath]]

class ConfigError(ValueError):
    """A configuration (``kefu-lint.toml``, or a keyword argument of
    ``Linter``) that cannot be used. The message names the file and place."""

    file: str
    """The file at fault (a ``kefu-lint.toml`` or a pack), or the argument."""
    line: Optional[int]
    """1-based line in ``file``, when the error has a place."""
    column: Optional[int]
    """1-based column in characters, when the error has a place."""

class PackError(ConfigError):
    """A rule pack that cannot be loaded (``file`` is the pack)."""

@final
class Edit:
    """One replacement of a fix: ``text[start:end]`` becomes ``replacement``.
    Frozen; pickles and copies."""

    @property
    def start(self) -> int:
        """Code-point offset where the replaced text starts."""
    @property
    def end(self) -> int:
        """Code-point offset where the replaced text ends (exclusive)."""
    @property
    def replacement(self) -> str: ...
    def to_dict(self) -> dict[str, object]: ...

@final
class Fix:
    """An automatic rewrite of one finding. Frozen; pickles and copies."""

    @property
    def applicability(self) -> _Applicability:
        """``"safe"`` keeps the meaning (你→您); ``"unsafe"`` is a tone
        rewrite a human should read; ``"display-only"`` is never applied."""
    @property
    def edits(self) -> tuple[Edit, ...]: ...
    def to_dict(self) -> dict[str, object]: ...

@final
class Finding:
    """One rule matched in one reply. Frozen, hashable, compared by value;
    pickles and copies (so findings come back from ``multiprocessing`` workers)."""

    @property
    def rule(self) -> str:
        """Stable rule id, such as ``"KF001"``."""
    @property
    def name(self) -> str:
        """Kebab-case rule name, such as ``"negative-ability"``."""
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def message(self) -> str:
        """What is wrong, in Chinese, in the reply's script."""
    @property
    def matched(self) -> str:
        """The text at ``text[start:end]``, exactly as written."""
    @property
    def suggestions(self) -> tuple[str, ...]:
        """Courteous rewrites, in the reply's script."""
    @property
    def fix(self) -> Optional[Fix]: ...
    @property
    def start(self) -> int:
        """Code-point offset (a Python string index) where the match starts."""
    @property
    def end(self) -> int:
        """Code-point offset where the match ends (exclusive)."""
    @property
    def byte_start(self) -> int:
        """UTF-8 byte offset where the match starts."""
    @property
    def byte_end(self) -> int:
        """UTF-8 byte offset where the match ends (exclusive)."""
    def to_dict(self) -> dict[str, object]:
        """All fields as plain values (``suggestions`` a list, ``fix`` a dict or ``None``)."""

@final
class Rule:
    """One rule of a linter, for listing in a UI. Frozen; pickles and copies."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def summary(self) -> str:
        """One-line English summary."""
    @property
    def message(self) -> str:
        """The Chinese message (Simplified)."""
    @property
    def suggestions(self) -> tuple[str, ...]: ...
    @property
    def fix(self) -> Optional[_Applicability]:
        """The applicability of the rule's automatic fix; ``None`` when it has none."""
    @property
    def pack(self) -> str:
        """The pack file the rule comes from."""

@final
class Linter:
    """Checks replies against a set of rules; thread-safe.

    With no arguments, the built-in rules in draft mode. ``config`` is a
    ``kefu-lint.toml`` (an empty path is a ``ConfigError``): its top-level
    settings apply, and its ``[[per-path]]`` entries whose globs match
    ``path`` (the input the texts come from) over them, as ``kefu-lint
    check`` applies them per input; without ``path``, none. ``mode`` is
    ``"draft"`` or ``"library"`` (typed as these literals: a ``str``
    variable needs ``typing.cast`` or a check), by default the file's
    ``mode``, else draft; ``select``/``ignore`` take rule ids, names or
    categories; ``allow`` phrases that are never flagged; ``packs`` extra
    rule pack files; ``competitors`` other shops' and brands' names, flagged
    when a reply mentions them (besides the file's ``competitors``).
    ``select``, ``ignore``, ``allow``, ``packs`` and ``competitors`` take a
    list, tuple or set, not one string (``TypeError``). Raises
    ``ConfigError``/``PackError`` for a bad file and ``ValueError`` for a
    bad argument.
    """

    def __new__(
        cls,
        config: Optional[_StrPath] = None,
        *,
        path: Optional[_StrPath] = None,
        mode: Optional[_Mode] = None,
        select: Optional[_Names] = None,
        ignore: Optional[_Names] = None,
        allow: Optional[_Names] = None,
        packs: Optional[_Paths[_P]] = None,
        competitors: Optional[_Names] = None,
    ) -> Linter: ...
    def check(self, text: str) -> list[Finding]:
        """All findings in ``text``, ordered by position (GIL released)."""
    def fix(self, text: str, *, unsafe: bool = False) -> Fixed:
        """``text`` with its safe fixes applied (unsafe ones too with
        ``unsafe=True``): ``Fixed(text, applied)``, a ``NamedTuple``."""
    def check_many(self, texts: _Texts, *, threads: Optional[int] = None) -> list[list[Finding]]:
        """The findings of each text, in order, checked in parallel with the
        GIL released on up to ``threads`` threads (default: all cores; no
        more than the cores, nor one per 512 texts).
        ``TypeError`` for one ``str`` or an item that is not a ``str``;
        ``UnicodeEncodeError`` (a ``ValueError``) for a text holding a lone
        surrogate; each names the text's index (``texts[3]``)."""
    def rules(self) -> list[Rule]:
        """The rules this linter checks, in pack order."""
    def explain(self, rule: str) -> str:
        """The documentation of a rule (by id or name), as ``kefu-lint explain``
        prints it. Raises ``ValueError`` for an unknown rule."""
    def __copy__(self) -> Linter:
        """The same linter: it is immutable."""
    def __deepcopy__(self, memo: Any) -> Linter:
        """The same linter, so an object holding one copies."""

def check(text: str) -> list[Finding]:
    """All findings in ``text`` by a shared built-in linter (draft mode)."""

@final
class AgentRoles:
    """Which senders of a chat log are the agents: glob patterns of role
    values (``*`` any characters, ``?`` one, ``[…]`` a class, ``[!…]`` or
    ``[^…]`` its complement), compared without regard to ASCII case, a
    full-width colon read as ``:``; the matcher of ``kefu-lint check
    --agent-role``. ``ValueError`` for an empty pattern or one that is not
    a glob, ``TypeError`` for one string in place of a list."""

    def __new__(cls, patterns: _Names) -> AgentRoles: ...
    def matches(self, role: str) -> bool:
        """Whether the role value ``role`` matches one of the patterns."""
    def __copy__(self) -> AgentRoles:
        """The same matcher: it is immutable."""
    def __deepcopy__(self, memo: Any) -> AgentRoles:
        """The same matcher, so an object holding one copies."""

def config_roles(config: _StrPath, path: _StrPath = ...) -> tuple[Optional[str], Optional[list[str]]]:
    """``(role_field, agent_role)`` that the ``kefu-lint.toml`` at ``config``
    gives for an input at ``path`` (default: none, the top-level settings
    alone), each ``None`` when unset. ``ConfigError`` for a bad file."""

# Private: what the objects' ``__reduce__`` names, to unpickle them. Each
# makes the object from its fields in the order of its ``__reduce__``;
# ``ValueError`` for an unknown severity or applicability.
def _restore_edit(start: int, end: int, replacement: str) -> Edit: ...
def _restore_fix(edits: Sequence[Edit], applicability: str) -> Fix: ...
def _restore_finding(
    rule: str,
    name: str,
    category: str,
    severity: str,
    message: str,
    matched: str,
    suggestions: Sequence[str],
    fix: Optional[Fix],
    start: int,
    end: int,
    byte_start: int,
    byte_end: int,
) -> Finding: ...
def _restore_rule(
    id: str,
    name: str,
    category: str,
    severity: str,
    summary: str,
    message: str,
    suggestions: Sequence[str],
    fix: Optional[str],
    pack: str,
) -> Rule: ...
