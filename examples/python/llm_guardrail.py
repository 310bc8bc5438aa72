"""A guardrail for LLM-drafted customer-service replies, with kefu_lint.

`guard(model, prompt)` asks the model for a draft, applies kefu-lint's safe
fixes (你 → 您), and checks what is left. When findings of a blocking
severity remain, it asks again with a re-prompt built from the findings'
messages and suggested rewrites; after `max_tries` drafts it gives up and
returns the last draft with its findings, for a human to handle.

`model` is any callable from a prompt to a draft: wrap your LLM client in
one. Run this file to see the loop with `ScriptedModel`, a deterministic
stand-in for a model (it answers with drafts written in advance), so the
example needs no network and no model:

    python examples/python/llm_guardrail.py
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from kefu_lint import Finding, Linter

Model = Callable[[str], str]
"""A language model as the guardrail sees it: prompt in, draft reply out."""


@dataclass(frozen=True)
class Outcome:
    """What `guard` ends with."""

    reply: str
    """The last draft, with its safe fixes applied."""
    accepted: bool
    """Whether no finding of a blocking severity remains in `reply`."""
    tries: int
    """How many drafts the model was asked for."""
    findings: list[Finding] = field(default_factory=list)
    """The blocking findings left in `reply` (empty when accepted)."""


def reprompt(prompt: str, draft: str, findings: Sequence[Finding]) -> str:
    """The prompt for the next try: the original request, the rejected draft,
    and for each finding the phrase, what is wrong and the suggested rewrites."""
    problems = []
    for f in findings:
        line = f"- “{f.matched}”: {f.message}"
        if f.suggestions:
            line += " 可改为:" + " / ".join(f"“{s}”" for s in f.suggestions)
        problems.append(line)
    return (
        f"{prompt}\n\n"
        f"上一版回复不符合客服规范,请重写:\n{draft}\n\n"
        "问题:\n" + "\n".join(problems) + "\n只输出新的回复。"
    )


def guard(
    model: Model,
    prompt: str,
    *,
    linter: Linter | None = None,
    max_tries: int = 3,
    blocking: Collection[str] = ("error",),
) -> Outcome:
    """Draft a reply with `model` until kefu-lint finds nothing of a
    `blocking` severity ("error", "warning", "info") in it, at most
    `max_tries` times (at least 1; `ValueError` otherwise)."""
    if max_tries < 1:
        raise ValueError(f"max_tries must be at least 1, got {max_tries}")
    linter = linter or Linter()
    next_prompt = prompt
    reply, findings = "", []
    for attempt in range(1, max_tries + 1):
        reply = linter.fix(model(next_prompt)).text
        findings = [f for f in linter.check(reply) if f.severity in blocking]
        if not findings:
            return Outcome(reply, True, attempt)
        next_prompt = reprompt(prompt, reply, findings)
    return Outcome(reply, False, max_tries, findings)


class ScriptedModel:
    """A deterministic stand-in for a language model, not a model: it
    answers the n-th prompt with the n-th of `drafts` (the last one again
    once they run out) and keeps the prompts it was given in `prompts`."""

    def __init__(self, drafts: Sequence[str]) -> None:
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
