"""Finding: frozen and slotted, compared and hashed by value, printable,
and convertible to plain data."""

import json

import pytest

import kefu_lint


def _finding(reply: str, name: str) -> kefu_lint.Finding:
    (f,) = [f for f in kefu_lint.check(reply) if f.name == name]
    return f


def test_a_finding_is_frozen_and_slotted() -> None:
    f = _finding("亲,这个我不能给您改价哦", "negative-ability")
    with pytest.raises(AttributeError):
        f.start = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        f.note = "x"  # type: ignore[attr-defined]
    assert not hasattr(f, "__dict__")


def test_findings_compare_and_hash_by_value() -> None:
    a = _finding("亲,这个我不能给您改价哦", "negative-ability")
    b = _finding("亲,这个我不能给您改价哦", "negative-ability")
    moved = _finding("亲亲,这个我不能给您改价哦", "negative-ability")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != moved and (a.start + 1, a.matched) == (moved.start, moved.matched)


def test_repr_shows_rule_place_and_text() -> None:
    f = _finding("亲,这个我不能给您改价哦", "negative-ability")
    assert repr(f) == "Finding(rule='KF001', name='negative-ability', severity='error', start=4, end=7, matched='我不能')"


def test_to_dict_is_plain_data() -> None:
    reply = "😊你的订单已经发货了"
    f = _finding(reply, "ni-instead-of-nin")
    d = f.to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d == {
        "rule": "KF011",
        "name": "ni-instead-of-nin",
        "category": f.category,
        "severity": "warning",
        "message": f.message,
        "matched": "你",
        "suggestions": ["您"],
        "fix": {"applicability": "safe", "edits": [{"start": 1, "end": 2, "replacement": "您"}]},
        "start": 1,
        "end": 2,
        "byte_start": 4,
        "byte_end": 7,
    }
    assert repr(f.fix) == "Fix(applicability='safe', edits=(Edit(start=1, end=2, replacement='您'),))"
