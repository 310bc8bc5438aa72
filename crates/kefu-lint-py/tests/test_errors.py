"""Errors are Python exceptions naming the file and place, never a crash."""

from pathlib import Path

import pytest

import kefu_lint
from kefu_lint import ConfigError, Linter, PackError


def test_a_bad_configuration_file_names_its_line_and_column(tmp_path: Path) -> None:
    config = tmp_path / "kefu-lint.toml"
    config.write_text('mode = "draft"\nselect = ["KF001", "nope"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Linter(config)
    error = caught.value
    assert not isinstance(error, PackError)
    assert (error.file, error.line, error.column) == (str(config), 2, 20)
    assert str(error).startswith(f"{config}:2:20: ") and "nope" in str(error)


def test_a_bad_pack_is_a_pack_error_with_its_place(tmp_path: Path) -> None:
    pack = tmp_path / "shop.toml"
    pack.write_text('[pack]\nname = "shop"\ndescription = "ours"\n\n[[rule]]\nid = "SHOP1"\nname = 3\n', encoding="utf-8")
    with pytest.raises(PackError) as caught:
        Linter(packs=[pack])
    error = caught.value
    assert isinstance(error, ConfigError) and isinstance(error, ValueError)
    assert (error.file, error.line) == (str(pack), 7)
    assert str(error).startswith(f"{pack}:7:")


def test_a_pack_named_by_the_configuration_is_a_pack_error(tmp_path: Path) -> None:
    (tmp_path / "shop.toml").write_text('[pack]\nname = "shop"\n', encoding="utf-8")
    config = tmp_path / "kefu-lint.toml"
    config.write_text('extend-packs = ["shop.toml"]\n', encoding="utf-8")
    with pytest.raises(PackError) as caught:
        Linter(str(config))
    assert caught.value.file.endswith("shop.toml")


def test_a_missing_file_is_a_config_error_without_a_place(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError) as caught:
        Linter(missing)
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(missing), None, None)


def test_the_examples_broken_configuration(root: Path) -> None:
    with pytest.raises(ConfigError, match=r"broken\.toml:1:11: .*\"nope\""):
        Linter(root / "examples/broken.toml")


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ({"mode": "drafts"}, ValueError, "unknown mode"),
        ({"select": ["buut"]}, ValueError, 'did you mean "but"'),
        ({"ignore": ["KF999"]}, ValueError, "KF999"),
        ({"select": ["but"], "ignore": ["but"]}, ValueError, "no rule"),
        ({"select": "but"}, TypeError, r"select=\['but'\]"),
        ({"allow": [1]}, TypeError, "allow"),
        ({"packs": 3}, TypeError, "packs"),
        ({"config": 3}, TypeError, "config"),
    ],
)
def test_bad_arguments_are_type_or_value_errors(arguments: dict[str, object], error: type, says: str) -> None:
    with pytest.raises(error, match=says) as caught:
        Linter(**arguments)  # type: ignore[arg-type]
    assert not isinstance(caught.value, ConfigError)


def test_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        kefu_lint.check(b"\xe6\x88\x91")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Linter().fix(None)  # type: ignore[arg-type]


def test_an_empty_config_path_is_a_config_error() -> None:
    """`Linter(os.environ.get("X", ""))` with X unset: not a bare ValueError."""
    with pytest.raises(ConfigError, match=r"^config: the path is empty") as caught:
        Linter("")
    assert (caught.value.file, caught.value.line, caught.value.column) == ("", None, None)


def test_an_empty_pack_path_is_a_pack_error() -> None:
    with pytest.raises(PackError, match="No such file") as caught:
        Linter(packs=[""])
    assert caught.value.file == ""


def test_a_phrase_that_allows_nothing_is_refused_as_a_competitor_is() -> None:
    with pytest.raises(ValueError, match=r"allow: phrase 2"):
        Linter(allow=["保证正品", "\u200b"])


@pytest.mark.parametrize("argument", ["select", "ignore", "allow", "competitors"])
def test_a_lone_surrogate_in_a_list_argument_is_a_unicode_error_as_in_check(argument: str) -> None:
    with pytest.raises(UnicodeEncodeError):
        Linter(**{argument: ["\ud800"]})  # type: ignore[arg-type]
    with pytest.raises(UnicodeEncodeError):
        kefu_lint.AgentRoles(["\ud800"])
