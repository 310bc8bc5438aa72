"""Linter.rules() and Linter.explain() for UIs."""

import pytest

from kefu_lint import Linter


def test_rules_list_the_built_in_rules() -> None:
    rules = Linter().rules()
    by_name = {r.name: r for r in rules}
    assert len(by_name) == len(rules) >= 15
    assert by_name["negative-ability"].id == "KF001"
    assert by_name["negative-ability"].severity == "error"
    assert by_name["ni-instead-of-nin"].fix == "safe"
    assert by_name["but"].fix == "unsafe"
    assert by_name["negative-ability"].fix is None
    assert all(r.summary and r.message and r.pack.endswith(".toml") for r in rules)
    assert "{" not in by_name["long-reply"].message


def test_rules_follow_the_selection() -> None:
    assert {r.name for r in Linter(select=["but", "KF001"]).rules()} == {"but", "negative-ability"}
    draft = {r.name for r in Linter().rules()}
    library = {r.name for r in Linter(mode="library").rules()}
    assert "placeholder" in draft and "placeholder" not in library
    assert "malformed-placeholder" in library


def test_explain_by_id_or_name() -> None:
    linter = Linter()
    text = linter.explain("but")
    assert text == linter.explain("KF007") == linter.explain("kf007")
    assert text.startswith("KF007 but")
    assert "不过" in text and "但是" in text


def test_explain_an_unknown_rule_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="nope"):
        Linter().explain("nope")
    with pytest.raises(ValueError):
        Linter(select=["but"]).explain("KF001")
