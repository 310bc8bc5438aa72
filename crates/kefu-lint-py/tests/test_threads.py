"""One Linter shared by many threads; check_many equals check in a loop."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import kefu_lint
from kefu_lint import Linter


def _replies(root: Path) -> list[str]:
    lines = (root / "tests/eval/replies.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines]


def test_many_threads_share_one_linter(root: Path) -> None:
    linter = Linter()
    replies = _replies(root)
    expected = [linter.check(r) for r in replies]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(linter.check, replies * 8))
        fixed = list(pool.map(linter.fix, replies * 2))
    assert results == expected * 8
    assert [f.text for f in fixed] == [linter.fix(r).text for r in replies] * 2


@pytest.mark.parametrize("threads", [None, 1, 2, 3, 64])
def test_check_many_equals_check_in_a_loop(root: Path, threads: "int | None") -> None:
    linter = Linter()
    replies = _replies(root) + ["", "😊", "嗯"]
    assert linter.check_many(replies, threads=threads) == [linter.check(r) for r in replies]


def test_check_many_on_many_python_threads_at_once(root: Path) -> None:
    linter = Linter()
    replies = _replies(root)
    expected = [linter.check(r) for r in replies]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: linter.check_many(replies, threads=2), range(8)))
    assert all(r == expected for r in results)


def test_check_many_of_nothing_is_nothing() -> None:
    assert Linter().check_many([]) == []


def test_the_shared_linter_is_the_default_one() -> None:
    reply = "亲,这个我不能给您改价哦,但是可以送您运费险"
    assert kefu_lint.check(reply) == Linter().check(reply)


@pytest.mark.parametrize(
    ("texts", "threads", "error"),
    [(["嗯"], 0, ValueError), (["嗯"], -1, ValueError), ("嗯嗯", None, TypeError), ([1], None, TypeError)],
)
def test_check_many_refuses_bad_arguments(texts: object, threads: object, error: type) -> None:
    with pytest.raises(error):
        Linter().check_many(texts, threads=threads)  # type: ignore[arg-type]
