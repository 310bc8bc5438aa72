"""check and check_many release the GIL: another Python thread runs while
they work. (Were the GIL held, no line of Python could run between the
call's start and end.)"""

import gc
import random
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from kefu_lint import Linter

LINTER = Linter()
REPLY = "亲,这个我不能给您改价哦,但是我保证明天发货,你自己看吧😊"


def _python_runs_during(work: Callable[[], object]) -> bool:
    """Whether this thread ran Python in the middle half of `work`, run on another thread."""
    ticks: list[float] = []
    span: list[float] = []
    started = threading.Event()

    def worker() -> None:
        started.set()
        begin = time.perf_counter()
        work()
        span.extend([begin, time.perf_counter()])

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait()
    while thread.is_alive():
        ticks.append(time.perf_counter())
    thread.join()
    begin, end = span
    quarter = (end - begin) / 4
    assert quarter > 0.005, "the work was too short to tell"
    return any(begin + quarter < t < end - quarter for t in ticks)


@pytest.mark.parametrize("threads", [1, 2])
def test_check_many_releases_the_gil(threads: int) -> None:
    replies = [REPLY] * 30_000
    assert _python_runs_during(lambda: LINTER.check_many(replies, threads=threads))


def test_check_releases_the_gil() -> None:
    long_reply = REPLY * 20_000
    assert _python_runs_during(lambda: LINTER.check(long_reply))


def test_fix_releases_the_gil() -> None:
    long_reply = REPLY * 10_000
    assert _python_runs_during(lambda: LINTER.fix(long_reply, unsafe=True))


def test_the_probe_sees_a_call_that_holds_the_gil() -> None:
    # sorted() sorts floats in C without releasing the GIL: the probe must say so.
    rng = random.Random(1)
    numbers = [rng.random() for _ in range(1_000_000)]
    assert not _python_runs_during(lambda: sorted(numbers))


def test_overlapping_calls_keep_the_collector_paused_until_the_last_ends() -> None:
    assert gc.isenabled()
    started, release = threading.Event(), threading.Event()

    def texts() -> Iterator[str]:
        started.set()
        release.wait(10)
        yield "你好"

    other = threading.Thread(target=lambda: Linter().check_many(texts()))  # type: ignore[arg-type]
    other.start()
    started.wait(10)
    Linter().check_many(["亲,你好"] * 2000, threads=2)
    assert not gc.isenabled(), "the other call still runs"
    release.set()
    other.join(10)
    assert gc.isenabled()
