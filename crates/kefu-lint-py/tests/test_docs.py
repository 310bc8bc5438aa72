"""Every ```python block of docs/python.md, of README.md's "Python"
section and of the package's own README (the wheel's description) runs, so the documentation cannot drift from the package: the
blocks of one document run in order in one namespace, from the checkout's
root, with examples/python on the path; each asserts what it shows."""

import re
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from conftest import ROOT

BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def _section(text: str, title: str) -> str:
    """The part of a Markdown document under the level-2 heading `title`."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _blocks(document: str) -> list[str]:
    text = (ROOT / document).read_text(encoding="utf-8")
    if document == "README.md":
        text = _section(text, "Python")
    return BLOCK.findall(text)


@pytest.mark.parametrize("document", ["docs/python.md", "README.md", "crates/kefu-lint-py/README.md"])
def test_the_python_blocks_run(document: str, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks(document)
    assert blocks, f"{document} has no python block"
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", [str(ROOT / "examples/python"), *sys.path])
    namespace: dict[str, object] = {"__name__": "docs"}
    for i, block in enumerate(blocks, 1):
        code = compile(block, f"{document} (python block {i})", "exec")
        exec(code, namespace)


def test_the_wheel_describes_itself_with_the_package_readme() -> None:
    """PyPI and `pip show` show the long description the wheel carries."""
    meta = distribution("kefu-lint").read_text("METADATA") or ""
    assert "Description-Content-Type: text/markdown" in meta
    readme = (ROOT / "crates/kefu-lint-py/README.md").read_text(encoding="utf-8")
    assert readme.strip() in meta


def test_a_failing_block_fails() -> None:
    with pytest.raises(AssertionError):
        exec(compile("assert 1 == 2", "x", "exec"), {})
    assert _section("# t\n## A\na\n## Python\nb\n## C\n", "Python") == "\n## Python\nb"
    assert BLOCK.findall("```python\nx = 1\n```\n```sh\ny\n```\n") == ["x = 1\n"]
