"""The LLM guardrail recipe (examples/python/llm_guardrail.py), driven by
`ScriptedModel`: a deterministic stand-in for a language model that answers
with drafts written in advance (no network, no model)."""

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "examples/python"))

from llm_guardrail import ScriptedModel, guard, reprompt  # noqa: E402

from kefu_lint import Linter  # noqa: E402


def test_a_clean_draft_is_accepted_with_its_safe_fixes() -> None:
    stand_in = ScriptedModel(["你的订单已经发货了,请耐心等待哦"])
    outcome = guard(stand_in, "顾客问:发货了吗?")
    assert outcome.accepted and outcome.tries == 1 and outcome.findings == []
    assert outcome.reply == "您的订单已经发货了,请耐心等待哦"
    assert stand_in.prompts == ["顾客问:发货了吗?"]


def test_a_flagged_draft_is_sent_back_with_the_findings() -> None:
    stand_in = ScriptedModel(["亲,这个我不能给您改价哦", "亲,价格已经是最低了,我帮您申请一张优惠券哦"])
    outcome = guard(stand_in, "顾客问:能便宜点吗?")
    assert outcome.accepted and outcome.tries == 2
    assert outcome.reply == "亲,价格已经是最低了,我帮您申请一张优惠券哦"
    first, second = stand_in.prompts
    assert first == "顾客问:能便宜点吗?"
    assert second.startswith("顾客问:能便宜点吗?") and "亲,这个我不能给您改价哦" in second
    assert "“我不能”" in second and "看看我们能够帮您做什么" in second


def test_it_gives_up_after_max_tries_and_returns_the_findings() -> None:
    stand_in = ScriptedModel(["这个我不知道,你自己看吧"])
    outcome = guard(stand_in, "顾客问:什么时候到货?", max_tries=4)
    assert not outcome.accepted and outcome.tries == 4 and len(stand_in.prompts) == 4
    assert {f.name for f in outcome.findings} == {"dont-know", "brush-off"}
    # The safe fix (你 → 您) is applied; the brush-off is still one with 您.
    assert outcome.reply == "这个我不知道,您自己看吧"


def test_warnings_block_only_when_asked() -> None:
    draft = "很显瘦,但是面料有点薄"
    assert guard(ScriptedModel([draft]), "q").accepted
    strict = guard(ScriptedModel([draft]), "q", blocking=("error", "warning"), max_tries=2)
    assert not strict.accepted and [f.name for f in strict.findings] == ["but"]


def test_the_reprompt_lists_each_finding() -> None:
    linter = Linter()
    draft = "这个我不知道,你自己看吧"
    text = reprompt("问", draft, linter.check(draft))
    assert text.count("\n- “") == len(linter.check(draft))


def test_max_tries_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_tries"):
        guard(ScriptedModel(["嗯"]), "q", max_tries=0)
