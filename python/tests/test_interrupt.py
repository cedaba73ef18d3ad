"""A long run releases the GIL and stops on Ctrl-C."""

import os
import signal
import threading
import time

import pytest

import helplessness as lh

#: About a minute of simulation on one core: far longer than the tests wait.
LONG = dict(subjects=50_000, seed=1, records="none", threads=1)

#: Python runs signal handlers on the main thread of a POSIX process only.
posix_main = pytest.mark.skipif(
    os.name != "posix" or threading.current_thread() is not threading.main_thread(),
    reason="SIGINT reaches Python's handlers on the main thread of a POSIX process",
)


@posix_main
def test_ctrl_c_interrupts_a_long_run():
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    started = time.perf_counter()
    try:
        lh.run("triadic-rat", **LONG)
    except KeyboardInterrupt:
        stopped = time.perf_counter() - started
    else:
        raise AssertionError("the run finished instead of stopping on SIGINT")
    finally:
        timer.cancel()
    # Stopped within a trial of the signal, not at the end of the run.
    assert stopped < 20, stopped
    # The library is usable afterwards.
    assert len(lh.run("triadic-dog", subjects=2, seed=1).records) > 0


@posix_main
def test_other_threads_run_while_simulating():
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.002)

    counter = threading.Thread(target=count)
    stop = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    counter.start()
    stop.start()
    started = time.perf_counter()
    try:
        lh.run("triadic-rat", **LONG)
    except KeyboardInterrupt:
        pass
    finally:
        ended = time.perf_counter()
        done.set()
        counter.join()
        stop.cancel()
    during = [t for t in ticks if started + 0.2 < t < ended - 0.1]
    # Holding the GIL for the whole run would leave the counter still; released, it
    # ticks every few milliseconds.
    assert len(during) > 100, len(during)


class Enough(Exception):
    pass


def test_a_long_run_reports_its_progress():
    heard = []

    def listen(done, total):
        heard.append((done, total))
        if len(heard) == 20:
            raise Enough

    started = time.perf_counter()
    with pytest.raises(Enough):
        lh.run("triadic-rat", **LONG, progress=listen)
    # Reports start after a second and come every few tens of milliseconds.
    assert 1.0 < time.perf_counter() - started < 20
    totals = {total for _, total in heard}
    assert len(totals) == 1 and totals.pop() > 0  # yoke sets, a fixed number
    assert all(0 <= done <= total for done, total in heard)
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)


@posix_main
def test_the_progress_bar_writes_to_standard_error(capsys):
    timer = threading.Timer(1.6, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            lh.run("triadic-rat", **LONG, progress=True)
    finally:
        timer.cancel()
    err = capsys.readouterr().err
    assert " yoke sets" in err and "[" in err
    # Cleared at the end, interrupted or not: the last thing written returns to the
    # line's start over blanks.
    assert err.endswith(" \r")
