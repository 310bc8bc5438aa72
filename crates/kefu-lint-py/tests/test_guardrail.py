"""The LLM guardrail recipe (examples/python/llm_guardrail.py), driven by
`ScriptedModel`: a deterministic stand-in for a language model that answers
with drafts written in advance (no network, no model)."""

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "examples/python"))

import llm_guardrail  # noqa: E402
from llm_guardrail import BLANK_DRAFT, MAX_DRAFT_CHARS, ScriptedModel, guard, reprompt  # noqa: E402

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
    strict = guard(ScriptedModel([draft]), "q", blocking="warning", max_tries=2)
    assert not strict.accepted and [f.name for f in strict.findings] == ["but"]


def test_blocking_is_a_least_severity_so_errors_block_warnings() -> None:
    outcome = guard(ScriptedModel(["我不能"]), "q", blocking="warning", max_tries=1)
    assert not outcome.accepted and "error" in {f.severity for f in outcome.findings}
    everything = guard(ScriptedModel(["我不能"]), "q", blocking="info", max_tries=1)
    assert {f.severity for f in everything.findings} == {"error", "info"}
    with pytest.raises(ValueError, match="blocking is the least severity"):
        guard(ScriptedModel(["嗯"]), "q", blocking="fatal")  # type: ignore[arg-type]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_a_blank_draft_is_never_accepted(blank: str) -> None:
    stand_in = ScriptedModel([blank])
    outcome = guard(stand_in, "q", max_tries=2)
    assert not outcome.accepted and outcome.tries == 2 and outcome.findings == []
    assert BLANK_DRAFT in stand_in.prompts[1]


def test_the_reprompt_is_bounded_whatever_the_draft(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = "亲," + "你自己看吧," * 200_000
    stand_in = ScriptedModel([huge])
    outcome = guard(stand_in, "q", max_tries=3)
    assert not outcome.accepted and len(outcome.findings) == 200_000
    last = stand_in.prompts[-1]
    assert len(last) < MAX_DRAFT_CHARS + 1000, len(last)
    assert last.count("\n- “") == 1  # 200,000 brush-offs, one problem
    monkeypatch.setattr(llm_guardrail, "MAX_PROBLEMS", 2)
    many = "我不能,你自己看吧,但是我们保证"
    many_findings = Linter().check(many)
    distinct = len({(f.rule, f.matched) for f in many_findings})
    assert distinct > 2
    text = reprompt("q", many, many_findings)
    assert text.count("\n- “") == 2 and f"另有 {distinct - 2} 处问题未列出" in text


def test_a_scripted_model_refuses_one_string() -> None:
    with pytest.raises(TypeError, match="not one string"):
        ScriptedModel("我不能")  # type: ignore[arg-type]


def test_the_reprompt_lists_each_distinct_finding_once() -> None:
    linter = Linter()
    draft = "这个我不知道,你自己看吧"
    text = reprompt("问", draft, linter.check(draft))
    assert text.count("\n- “") == len(linter.check(draft))
    assert reprompt("问", draft + draft, linter.check(draft + draft)).count("\n- “") == len(linter.check(draft))


def test_max_tries_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_tries"):
        guard(ScriptedModel(["嗯"]), "q", max_tries=0)


# What a second outside tester found.


def test_the_reprompt_is_bounded_whatever_the_findings_match() -> None:
    """Noise inside a match (100,000 zero-width spaces) is quoted clipped, however many rules match it."""
    draft = "我" + "\u200b" * 100_000 + "不能"
    findings = Linter().check(draft)
    assert max(len(f.matched) for f in findings) > 100_000
    assert len(reprompt("q", draft, findings)) < 1_500
    stand_in = ScriptedModel([draft])
    guard(stand_in, "q", max_tries=2)
    assert len(stand_in.prompts[-1]) < 1_500


@pytest.mark.parametrize("draft", ["\u200b\u200b", "\ufeff", "\u2060 \u2060", " \u3000\n"])
def test_an_invisible_draft_is_blank(draft: str) -> None:
    stand_in = ScriptedModel([draft])
    outcome = guard(stand_in, "q", max_tries=2)
    assert not outcome.accepted and outcome.tries == 2
    assert BLANK_DRAFT in stand_in.prompts[-1]


@pytest.mark.parametrize("returned", [None, b"x", {"text": "x"}])
def test_a_model_returning_no_str_is_a_type_error_saying_so(returned: object) -> None:
    with pytest.raises(TypeError, match=f"the model returned {type(returned).__name__} .*not a str"):
        guard(lambda prompt: returned, "q")  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize("max_tries", [True, 2.0, "3"])
def test_max_tries_must_be_an_int(max_tries: object) -> None:
    with pytest.raises(TypeError, match="max_tries takes an int"):
        guard(ScriptedModel(["好的"]), "q", max_tries=max_tries)  # type: ignore[arg-type]


def test_scripted_model_takes_a_list_or_tuple_only() -> None:
    with pytest.raises(TypeError, match="list or tuple of drafts, not bytes"):
        ScriptedModel(b"x")  # type: ignore[arg-type]
