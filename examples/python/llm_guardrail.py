"""A guardrail for LLM-drafted customer-service replies, with kefu_lint.

`guard(model, prompt)` asks the model for a draft, applies kefu-lint's safe
fixes (你 → 您), and checks what is left. When findings of the `blocking`
severity or a worse one remain (by default errors), or the draft is blank,
it asks again with a re-prompt built from the findings' messages and
suggested rewrites; after `max_tries` drafts it gives up and returns the
last draft with its findings, for a human to handle.

The re-prompt is bounded, whatever the model wrote: each distinct problem
(rule and matched text) is listed once, at most `MAX_PROBLEMS` of them, each
matched text quoted up to `MAX_MATCH_CHARS` characters, and the rejected
draft is quoted up to `MAX_DRAFT_CHARS` characters. A draft with nothing
visible in it (whitespace, or invisible characters such as U+200B) is
blank.

`model` is any callable from a prompt to a draft: wrap your LLM client in
one. Run this file to see the loop with `ScriptedModel`, a deterministic
stand-in for a model (it answers with drafts written in advance), so the
example needs no network and no model:

    python examples/python/llm_guardrail.py
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from kefu_lint import Finding, Linter

Model = Callable[[str], str]
"""A language model as the guardrail sees it: prompt in, draft reply out."""

Severity = Literal["info", "warning", "error"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
"""The severities from least to most serious."""

MAX_PROBLEMS = 10
"""The most distinct problems a re-prompt lists."""

MAX_DRAFT_CHARS = 500
"""The most characters of the rejected draft a re-prompt quotes."""

MAX_MATCH_CHARS = 40
"""The most characters of one finding's matched text a re-prompt quotes."""

BLANK_DRAFT = "回复为空,请写出完整的回复。"
"""What a re-prompt says of a blank draft (see `is_blank`)."""

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
"""Unicode general categories that show nothing: controls, format
characters (U+200B, U+FEFF, U+2060) and separators."""


def is_blank(draft: str) -> bool:
    """Whether `draft` shows nothing: every character is whitespace or of
    an `INVISIBLE_CATEGORIES` category (an empty draft too)."""
    return all(c.isspace() or unicodedata.category(c) in INVISIBLE_CATEGORIES for c in draft)


def clip(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters followed by ……(下略)."""
    return text if len(text) <= limit else text[:limit] + "……(下略)"


@dataclass(frozen=True)
class Outcome:
    """What `guard` ends with."""

    reply: str
    """The last draft, with its safe fixes applied."""
    accepted: bool
    """Whether `reply` is not blank and no finding of a blocking severity remains in it."""
    tries: int
    """How many drafts the model was asked for."""
    findings: list[Finding] = field(default_factory=list)
    """The blocking findings left in `reply` (empty when accepted, and when
    the last draft was only blank)."""


def reprompt(prompt: str, draft: str, findings: Sequence[Finding]) -> str:
    """The prompt for the next try: the original request, the rejected draft
    (its first `MAX_DRAFT_CHARS` characters), and for each distinct problem
    (rule and matched text; the first `MAX_PROBLEMS`) the phrase (its first
    `MAX_MATCH_CHARS` characters), what is wrong and the suggested rewrites.
    A blank draft (`is_blank`) is said to be blank."""
    distinct = list({(f.rule, f.matched): f for f in reversed(findings)}.values())[::-1]
    problems = []
    for f in distinct[:MAX_PROBLEMS]:
        line = f"- “{clip(f.matched, MAX_MATCH_CHARS)}”: {f.message}"
        if f.suggestions:
            line += " 可改为:" + " / ".join(f"“{s}”" for s in f.suggestions)
        problems.append(line)
    if len(distinct) > MAX_PROBLEMS:
        problems.append(f"- 另有 {len(distinct) - MAX_PROBLEMS} 处问题未列出。")
    if is_blank(draft):
        problems.append(f"- {BLANK_DRAFT}")
    quoted = clip(draft, MAX_DRAFT_CHARS)
    return (
        f"{prompt}\n\n"
        f"上一版回复不符合客服规范,请重写:\n{quoted}\n\n"
        "问题:\n" + "\n".join(problems) + "\n只输出新的回复。"
    )


def guard(
    model: Model,
    prompt: str,
    *,
    linter: Linter | None = None,
    max_tries: int = 3,
    blocking: Severity = "error",
) -> Outcome:
    """Draft a reply with `model` until it is not blank and kefu-lint finds
    nothing in it of the `blocking` severity or a worse one ("error": errors
    only; "warning": warnings and errors; "info": any finding), at most
    `max_tries` times. `TypeError` for a `max_tries` that is not an int
    (`True` included) and for a draft that is not a `str` (naming what the
    model returned); `ValueError` for `max_tries` below 1 or an unknown
    severity."""
    if isinstance(max_tries, bool) or not isinstance(max_tries, int):
        raise TypeError(f"max_tries takes an int, got {max_tries!r}")
    if max_tries < 1:
        raise ValueError(f"max_tries must be at least 1, got {max_tries}")
    if blocking not in SEVERITY_RANK:
        raise ValueError(f"blocking is the least severity that blocks: one of {list(SEVERITY_RANK)}, got {blocking!r}")
    linter = linter or Linter()
    next_prompt = prompt
    reply, findings = "", []
    for attempt in range(1, max_tries + 1):
        draft = model(next_prompt)
        if not isinstance(draft, str):
            raise TypeError(f"the model returned {type(draft).__name__} {clip(repr(draft), 80)}, not a str draft")
        reply = linter.fix(draft).text
        findings = [f for f in linter.check(reply) if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[blocking]]
        if not findings and not is_blank(reply):
            return Outcome(reply, True, attempt)
        next_prompt = reprompt(prompt, reply, findings)
    return Outcome(reply, False, max_tries, findings)


class ScriptedModel:
    """A deterministic stand-in for a language model, not a model: it
    answers the n-th prompt with the n-th of `drafts` (a list or tuple; the
    last one again once they run out) and keeps the prompts it was given in
    `prompts`. `TypeError` for anything but a list or tuple of drafts (one
    string, bytes)."""

    def __init__(self, drafts: list[str] | tuple[str, ...]) -> None:
        if isinstance(drafts, str):
            raise TypeError(f"ScriptedModel takes a list of drafts, not one string: write ScriptedModel([{drafts!r}])")
        if not isinstance(drafts, (list, tuple)):
            raise TypeError(f"ScriptedModel takes a list or tuple of drafts, not {type(drafts).__name__}")
        if not drafts:
            raise ValueError("a scripted model needs at least one draft")
        self.drafts = list(drafts)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.drafts[min(len(self.prompts), len(self.drafts)) - 1]


if __name__ == "__main__":
    stand_in = ScriptedModel(["亲,这个我不能给你改价哦", "亲,价格已经是最低了,我帮你申请一张优惠券哦"])
    outcome = guard(stand_in, "顾客问:能便宜点吗?")
    print(stand_in.prompts[-1], "\n")
    print(outcome.reply, "(accepted)" if outcome.accepted else "(rejected)", f"after {outcome.tries} tries")
