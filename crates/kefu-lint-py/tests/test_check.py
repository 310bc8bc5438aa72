"""Checking replies: the guidelines' sentences, Traditional in and out, and
the evaluation set's accuracy measured through the Python API."""

import json
from collections import defaultdict
from pathlib import Path

import pytest

import kefu_lint
from kefu_lint import Linter


@pytest.mark.parametrize(
    ("reply", "name", "matched"),
    [
        ("亲,这个我不能给您改价哦", "negative-ability", "我不能"),
        ("很显瘦,但是面料有点薄", "but", "但是"),
        ("亲,我们保证明天到货哦", "over-promise", "保证"),
        ("这个我真的不知道", "dont-know", "不知道"),
        ("详情页都写了,你自己看吧", "brush-off", "你自己看吧"),
        ("你的订单已经发货了", "ni-instead-of-nin", "你"),
        ("亲,您的订单{订单号}已发货哦", "placeholder", "{订单号}"),
    ],
)
def test_a_seed_sentence_is_flagged(reply: str, name: str, matched: str) -> None:
    found = [(f.name, f.matched) for f in kefu_lint.check(reply)]
    assert (name, matched) in found, found


@pytest.mark.parametrize(
    "reply",
    ["亲,店铺保证金已缴纳哦", "不知道您对哪款比较感兴趣呢?", "亲,您的包裹明天就到哦,有问题随时找我~"],
)
def test_a_courteous_reply_is_clean(reply: str) -> None:
    assert kefu_lint.check(reply) == []


def test_a_finding_carries_the_rule_and_its_rewrites() -> None:
    (f,) = kefu_lint.check("亲,这个我不能给您改价哦")
    assert (f.rule, f.name, f.category, f.severity) == ("KF001", "negative-ability", "negative-ability", "error")
    assert f.message and isinstance(f.suggestions, tuple) and f.suggestions
    assert f.fix is None


def test_traditional_in_traditional_out() -> None:
    reply = "親,我們保證明天到貨哦"
    (f,) = [f for f in kefu_lint.check(reply) if f.name == "over-promise"]
    assert f.matched == "保證" and reply[f.start : f.end] == "保證"
    assert f.message.startswith("不要用“保證、肯定、絕對”等字樣")
    dont_know = [f for f in kefu_lint.check("這個我真的不知道") if f.category == "dont-know"]
    assert any("幫您" in s for s in dont_know[0].suggestions)
    assert Linter().fix("謝謝你的耐心", unsafe=False).text == "謝謝您的耐心"


def test_the_library_mode_expects_placeholders() -> None:
    reply = "亲,您的订单{订单号}已发货哦"
    assert Linter(mode="library").check(reply) == []
    names = [f.name for f in Linter(mode="library").check("亲,您的订单{订单号已发货哦")]
    assert "malformed-placeholder" in names


def _accuracy(path: Path) -> dict[str, tuple[float, float]]:
    """Precision and recall per script of warning and error findings, a
    finding counting when its category is an expectation's family and it
    overlaps that expectation's n-th occurrence (as `kefu-lint eval` counts)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    linter = Linter()
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        text = case["text"]
        findings = [f for f in linter.check(text) if f.severity != "info"]
        used = [False] * len(findings)
        after: dict[str, int] = {}
        tally = counts[case["script"]]
        for expected in case["expect"]:
            start = text.index(expected["text"], after.get(expected["text"], 0))
            end = start + len(expected["text"])
            after[expected["text"]] = end
            hit = next(
                (
                    i
                    for i, f in enumerate(findings)
                    if not used[i] and f.category == expected["family"] and f.start < end and start < f.end
                ),
                None,
            )
            if hit is None:
                tally[2] += 1
            else:
                used[hit] = True
                tally[0] += 1
        tally[1] += used.count(False)
    return {s: (tp / (tp + fp), tp / (tp + fn)) for s, (tp, fp, fn) in counts.items()}


def test_the_evaluation_set_meets_the_accuracy_targets(root: Path) -> None:
    accuracy = _accuracy(root / "tests/eval/replies.jsonl")
    assert set(accuracy) == {"hans", "hant"}
    for script, (precision, recall) in accuracy.items():
        assert precision >= 0.97 and recall >= 0.95, (script, precision, recall)


def test_check_many_refuses_one_string_and_names_a_bad_texts_index() -> None:
    with pytest.raises(TypeError, match=r"check_many takes a list of texts, not one: write check_many\(\['你不能'\]\)"):
        Linter().check_many("你不能")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"texts\[1\] is int, not str"):
        Linter().check_many(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(UnicodeEncodeError, match=r"texts\[1\]: surrogates not allowed") as raised:
        Linter().check_many(["ok", "\ud800好的"])
    assert isinstance(raised.value, ValueError)
    with pytest.raises(UnicodeEncodeError):
        Linter().check("\ud800好的")


class _Unreachable:
    """A sequence whose iteration fails the way a lazy remote list's might."""

    def __iter__(self) -> "_Unreachable":
        raise ConnectionError("the log store did not answer")


def test_check_many_passes_on_what_iterating_the_texts_raises() -> None:
    with pytest.raises(ConnectionError, match="did not answer"):
        Linter().check_many(_Unreachable())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="check_many takes a list of texts"):
        Linter().check_many(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(("threads", "error"), [(2**64, ValueError), (-(2**70), ValueError), (0, ValueError), ("2", TypeError), (1.5, TypeError)])
def test_check_many_threads_out_of_range_is_a_value_error(threads: object, error: type) -> None:
    with pytest.raises(error, match="threads"):
        Linter().check_many(["a"], threads=threads)  # type: ignore[arg-type]
    texts = ["你不能", "您好,请稍等"]
    assert Linter().check_many(texts, threads=2**63) == [Linter().check(t) for t in texts]


def test_the_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    assert kefu_lint.__version__ == version("kefu-lint")
    assert kefu_lint.__version__.count(".") == 2
