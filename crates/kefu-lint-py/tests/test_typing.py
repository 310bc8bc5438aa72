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
