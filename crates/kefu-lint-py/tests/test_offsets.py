"""Offsets are Python string indices (code points), with emoji, astral
characters and noise; byte offsets are UTF-8."""

from hypothesis import given, settings
from hypothesis import strategies as st

import kefu_lint
from kefu_lint import Linter

LINTER = Linter()


def _assert_offsets(text: str) -> None:
    data = text.encode("utf-8")
    for f in LINTER.check(text):
        assert text[f.start : f.end] == f.matched
        assert data[f.byte_start : f.byte_end].decode("utf-8") == f.matched
        assert len(text[: f.start].encode("utf-8")) == f.byte_start
        if f.fix is not None:
            for e in f.fix.edits:
                assert f.start <= e.start <= e.end <= f.end


def test_emoji_and_astral_characters_before_a_match() -> None:
    text = "亲😊👍🏻𠀀,你自己看吧"
    findings = kefu_lint.check(text)
    assert [f.matched for f in findings if f.name == "brush-off"] == ["你自己看吧"]
    _assert_offsets(text)
    (brush_off,) = [f for f in findings if f.name == "brush-off"]
    assert (brush_off.start, brush_off.end) == (6, 11)
    assert (brush_off.byte_start, brush_off.byte_end) == (20, 35)  # 亲 3 bytes, four astral characters 4 each, the comma 1


def test_noise_inside_a_match_is_inside_its_span() -> None:
    text = "🙂我😊不*能给您改价"
    (f,) = [f for f in kefu_lint.check(text) if f.name == "negative-ability"]
    assert f.matched == "我😊不*能" and text[f.start : f.end] == f.matched


def test_edits_are_code_point_offsets() -> None:
    text = "🌸🌸谢谢你😊你的包裹明天就到"
    edits = [e for f in kefu_lint.check(text) if f.fix for e in f.fix.edits]
    assert [(text[e.start : e.end], e.replacement) for e in edits] == [("你", "您"), ("你", "您")]


PIECES = st.sampled_from(
    ["我不能", "但是", "保证", "你", "不知道", "你自己看吧", "嗯", "亲", "您好", "{订单号}", "保證", "ＯＫ", " ", "\u200b", "*"]
)
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, ANY_CHARACTER, st.sampled_from(["😊", "👍🏻", "𠀀", "🇨🇳", "\U0010fffd"])), max_size=40))
def test_offsets_hold_for_any_text(parts: list[str]) -> None:
    _assert_offsets("".join(parts))


def test_a_lone_surrogate_is_a_python_error_not_a_crash() -> None:
    try:
        kefu_lint.check("我不能\ud800")
    except UnicodeEncodeError:
        pass
    else:
        raise AssertionError("a str that is not valid Unicode was accepted")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.one_of(PIECES, ANY_CHARACTER), max_size=12).map("".join), max_size=20), st.integers(1, 5))
def test_check_many_is_check_in_a_loop_for_any_texts(texts: list[str], threads: int) -> None:
    assert LINTER.check_many(texts, threads=threads) == [LINTER.check(t) for t in texts]
