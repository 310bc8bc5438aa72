"""One Linter shared by many threads; check_many equals check in a loop."""

import _thread
import gc
import json
import signal
import threading
import time
from collections.abc import Iterator
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


@pytest.mark.parametrize("threads", [2, 3])
def test_check_many_keeps_the_order_of_texts_over_many_chunks(root: Path, threads: int) -> None:
    # Several times the texts one worker takes at a time (a few hundred),
    # as a list and as a generator (no length known in advance).
    replies = _replies(root)
    texts = [f"{i}{r}" for i, r in enumerate(replies * 7)]
    expected = [Linter().check(t) for t in texts]
    assert Linter().check_many(texts, threads=threads) == expected

    def generated() -> Iterator[str]:
        yield from texts

    # The stubs name lists and tuples; at run time any iterable of str is read.
    assert Linter().check_many(generated(), threads=threads) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("enabled", [True, False])
def test_check_many_leaves_the_garbage_collector_as_it_found_it(root: Path, threads: int, enabled: bool) -> None:
    texts = _replies(root) * 3
    (gc.enable if enabled else gc.disable)()
    try:
        Linter().check_many(texts, threads=threads)
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


@pytest.mark.parametrize("threads", [1, 2])
def test_check_many_names_a_bad_text_far_into_the_texts(threads: int) -> None:
    texts: list[object] = ["亲,我不能给你改"] * 3000
    texts[2500] = b"bytes"
    with pytest.raises(TypeError, match=r"texts\[2500\] is bytes, not str"):
        Linter().check_many(texts, threads=threads)  # type: ignore[arg-type]
    # A linter that refused one batch checks the next.
    assert Linter().check_many(["你不能"] * 2000, threads=threads) == [Linter().check("你不能")] * 2000


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
    [
        (["嗯"], 0, ValueError),
        (["嗯"], -1, ValueError),
        (["嗯"], True, TypeError),
        ("嗯嗯", None, TypeError),
        (b"ok", None, TypeError),
        ([1], None, TypeError),
    ],
)
def test_check_many_refuses_bad_arguments(texts: object, threads: object, error: type) -> None:
    with pytest.raises(error):
        Linter().check_many(texts, threads=threads)  # type: ignore[arg-type]


@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_stops_check_many_between_chunks(threads: int) -> None:
    linter = Linter()
    texts = ["亲,这个我不能给您改价哦", "你自己看吧", "好的亲,马上为您安排发货哦"] * 200_000
    started = time.perf_counter()
    linter.check_many(texts, threads=threads)
    whole = time.perf_counter() - started
    timer = threading.Timer(whole / 10, _thread.interrupt_main)
    # Python's own Ctrl-C handler (another test's Spark installs its own),
    # and no garbage-collector callback (pytest's is Python code: a Ctrl-C
    # that arrives while it runs is raised there, where Python ignores it).
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    callbacks = gc.callbacks[:]
    gc.callbacks.clear()
    try:
        started = time.perf_counter()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            linter.check_many(texts, threads=threads)
        stopped = time.perf_counter() - started
    finally:
        gc.callbacks[:] = callbacks
        signal.signal(signal.SIGINT, handler)
        timer.join()
    # Raised between chunks, long before the whole list would be done, with
    # the collector as it was.
    assert stopped < whole / 2, f"KeyboardInterrupt after {stopped:.2f} s of a {whole:.2f} s call"
    assert gc.isenabled()
