"""Linter.fix: safe fixes by default, unsafe ones when asked."""

from kefu_lint import Fixed, Linter

LINTER = Linter()


def test_a_safe_fix_is_applied() -> None:
    fixed = LINTER.fix("你的订单已经发货了")
    assert isinstance(fixed, Fixed)
    assert (fixed.text, fixed.applied) == ("您的订单已经发货了", 1)
    assert fixed == LINTER.fix("你的订单已经发货了") and fixed != LINTER.fix("你的")


def test_an_unsafe_fix_waits_until_asked() -> None:
    reply = "很显瘦,但是面料有点薄"
    assert LINTER.fix(reply).text == reply
    assert LINTER.fix(reply).applied == 0
    text, applied = LINTER.fix(reply, unsafe=True)
    assert (text, applied) == ("很显瘦,不过面料有点薄", 1)


def test_a_fix_keeps_emoji_and_noise() -> None:
    assert LINTER.fix("谢谢你😊你的包裹明天就到").text == "谢谢您😊您的包裹明天就到"


def test_fixed_is_frozen_and_printable() -> None:
    fixed = LINTER.fix("你好")
    assert repr(fixed) == "Fixed(text='您好', applied=1)"
    try:
        fixed.text = "x"  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("Fixed is not frozen")

