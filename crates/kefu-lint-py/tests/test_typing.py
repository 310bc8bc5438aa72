"""The stubs type what the runtime accepts: mypy --strict on small programs."""

import pytest
from mypy import api

from kefu_lint import Linter


def mypy_errors(program: str) -> str:
    """mypy --strict's report on `program` (empty when it passes)."""
    out, err, status = api.run(["--strict", "--no-incremental", "--no-error-summary", "-c", program])
    assert status in (0, 1), err
    return out


def test_fixed_unpacks_as_str_and_int() -> None:
    program = (
        "from kefu_lint import Linter\n"
        "text, applied = Linter().fix('你的订单')\n"
        "reveal_type(text)\nreveal_type(applied)\n"
        "print(text.upper(), applied + 1)\n"
    )
    out = mypy_errors(program)
    assert 'Revealed type is "str"' in out and 'Revealed type is "int"' in out
    assert "error" not in out, out


@pytest.mark.parametrize("argument", ["select", "ignore", "allow", "packs"])
def test_one_string_for_a_list_is_a_type_error_for_mypy_and_at_runtime(argument: str) -> None:
    out = mypy_errors(f"from kefu_lint import Linter\nLinter({argument}='but')\n")
    assert f'Argument "{argument}" to "Linter" has incompatible type "str"' in out, out
    with pytest.raises(TypeError, match=f"{argument} takes a list of strings, not one string"):
        Linter(**{argument: "but"})  # type: ignore[arg-type]


def test_lists_tuples_sets_and_paths_pass_mypy() -> None:
    program = (
        "from pathlib import Path\nfrom kefu_lint import Linter\n"
        "Linter(select=['but'], ignore=('KF001',), allow={'保证正品'}, mode=None)\n"
        "Linter(packs=[Path('a.toml')])\nLinter(packs=('a.toml',))\nLinter('kefu-lint.toml', mode='library')\n"
    )
    assert mypy_errors(program) == ""


def test_check_many_of_one_string_is_a_mypy_error() -> None:
    out = mypy_errors("from kefu_lint import Linter\nLinter().check_many('abc')\n")
    assert 'Argument 1 to "check_many" of "Linter" has incompatible type "str"' in out, out
    assert mypy_errors("from kefu_lint import Linter\nLinter().check_many(['abc'])\nLinter().check_many(('a', 'b'))\n") == ""


def test_packs_mixing_str_and_path_pass_mypy_in_a_tuple_or_an_annotated_list() -> None:
    """As docs/python.md says: mypy infers an unannotated list of both as list[object]."""
    program = (
        "from pathlib import Path\nfrom kefu_lint import Linter\n"
        "Linter(packs=('a.toml', Path('b.toml')))\n"
        "both: list[str | Path] = ['a.toml', Path('b.toml')]\nLinter(packs=both)\n"
        "names: list[str] = ['a.toml']\nLinter(packs=names)\n"
        "paths: list[Path] = [Path('a.toml')]\nLinter(packs=paths, path='replies/a.csv')\n"
    )
    assert mypy_errors(program) == ""


def test_mode_is_a_literal_and_a_str_variable_needs_a_cast() -> None:
    """As docs/python.md says: a mode read at run time is cast (or checked) first."""
    out = mypy_errors("from kefu_lint import Linter\nm = 'draft'\nLinter(mode=m)\n")
    assert 'Argument "mode" to "Linter" has incompatible type "str"' in out, out
    program = "import typing\nfrom kefu_lint import Linter\nm = 'draft'\nLinter(mode=typing.cast(typing.Literal['draft', 'library'], m))\n"
    assert mypy_errors(program) == ""


def test_agent_roles_is_typed() -> None:
    program = "import kefu_lint\nok: bool = kefu_lint.AgentRoles(['agent']).matches('x')\nkefu_lint.AgentRoles('agent')\n"
    out = mypy_errors(program)
    assert out.count("error") == 1 and 'Argument 1 to "AgentRoles" has incompatible type "str"' in out, out


def test_bytes_for_a_list_says_to_decode() -> None:
    with pytest.raises(TypeError, match=r"allow takes a list of str, not bytes: decode it first \(allow=\[b'x'.decode\(\)\]\)"):
        Linter(allow=b"x")  # type: ignore[arg-type]
