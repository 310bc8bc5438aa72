"""Linter(config, select=…, ignore=…, allow=…, packs=…, competitors=…) builds the linter the
library's builder builds from the same file and options."""

from pathlib import Path

import pytest

from kefu_lint import Linter


def test_the_configuration_is_applied(root: Path) -> None:
    linter = Linter(root / "examples/kefu-lint.toml")
    assert linter.check("亲,我们保证正品哦") == []  # the file's allow
    assert [f.severity for f in linter.check("很显瘦,但是面料有点薄") if f.name == "but"] == ["info"]
    only = Linter(select=["over-promise"], allow=["保证发货"])
    assert [f.name for f in only.check("但是我保证发货,保证明天到")] == ["over-promise"]
    assert "ni-instead-of-nin" in [f.name for f in Linter().check("亲,你的订单发货了哦")]
    assert "ni-instead-of-nin" not in [f.name for f in Linter(ignore=["KF011"]).check("亲,你的订单发货了哦")]
    shop = Linter(packs=[root / "examples/shop-pack.toml"])
    assert [f.rule for f in shop.check("您好,我是客服8号")] == ["SHOP001"]


def test_the_files_mode_holds_unless_mode_is_given(tmp_path: Path) -> None:
    """`mode` defaults to the file's, as `kefu-lint check --config` reads it."""
    config = tmp_path / "kefu-lint.toml"
    config.write_text('mode = "library"\n', encoding="utf-8")
    template = "亲,您的订单{订单号}已发货哦"
    assert Linter(config).check(template) == []  # a template's placeholder is fine in a library
    assert [f.name for f in Linter(config, mode="draft").check(template)] == ["placeholder"]
    assert [f.name for f in Linter().check(template)] == ["placeholder"]  # no file: draft
    assert Linter(mode="library").check(template) == []


def test_per_path_entries_apply_to_the_path_given(tmp_path: Path) -> None:
    """[[per-path]] applies with path=… as kefu-lint check applies it per
    input; without path, only the file's top-level settings do."""
    config = tmp_path / "kefu-lint.toml"
    config.write_text('[[per-path]]\npaths = ["replies/**"]\nmode = "library"\n', encoding="utf-8")
    template = "亲,您的订单{订单号}已发货哦"
    assert [f.name for f in Linter(config).check(template)] == ["placeholder"]
    assert Linter(config, path="replies/quick.csv").check(template) == []
    assert Linter(config, path=tmp_path / "replies" / "quick.csv").check(template) == []
    assert [f.name for f in Linter(config, path="chats/a.jsonl").check(template)] == ["placeholder"]


def test_competitors_are_flagged_in_either_script_and_refused_when_empty(tmp_path: Path) -> None:
    linter = Linter(competitors=["某某旗舰店", "BrandX"])
    for reply, name in [("某某旗艦店的貨沒有我們的好哦", "某某旗艦店"), ("亲,brandx那款我们没有哦", "brandx")]:
        (finding,) = [f for f in linter.check(reply) if f.name == "competitor-mentioned"]
        assert reply[finding.start : finding.end] == name
    assert not [f for f in Linter().check("某某旗舰店的货没有我们的好哦") if f.name == "competitor-mentioned"]
    # The file's list and the argument's both count.
    config = tmp_path / "kefu-lint.toml"
    config.write_text('competitors = ["隔壁小店"]\n', encoding="utf-8")
    both = Linter(config, competitors=["BrandX"])
    assert {f.matched for f in both.check("隔壁小店和BrandX都有") if f.name == "competitor-mentioned"} == {"隔壁小店", "BrandX"}
    with pytest.raises(ValueError, match="competitors"):
        Linter(competitors=[""])
    with pytest.raises(TypeError, match=r"competitors=\['BrandX'\]"):
        Linter(competitors="BrandX")  # type: ignore[arg-type]
