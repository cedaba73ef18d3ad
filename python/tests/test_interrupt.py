"""A long run releases the GIL and stops on Ctrl-C."""

import os
import signal
import threading
import time

import helplessness as lh

#: About a minute of simulation on one core: far longer than the tests wait.
LONG = dict(subjects=50_000, seed=1, records="none", threads=1)


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


def test_a_long_run_reports_its_progress():
    heard = []
    lh.run("triadic-rat", subjects=3000, seed=1, records="none", threads=1,
           progress=lambda done, total: heard.append((done, total)))
    assert heard, "a run of several seconds reported no progress"
    totals = {total for _, total in heard}
    assert len(totals) == 1 and totals.pop() > 0  # yoke sets, a fixed number
    assert all(0 <= done <= total for done, total in heard)
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)


def test_an_exception_in_the_progress_function_stops_the_run():
    class Enough(Exception):
        pass

    def stop(done, total):
        raise Enough(f"{done} of {total}")

    started = time.perf_counter()
    try:
        lh.run("triadic-rat", **LONG, progress=stop)
    except Enough:
        assert time.perf_counter() - started < 20
    else:
        raise AssertionError("the run ignored its progress function's exception")


def test_the_progress_bar_writes_to_standard_error(capsys):
    lh.run("triadic-rat", subjects=3000, seed=2, records="none", threads=1, progress=True)
    err = capsys.readouterr().err
    assert " yoke sets" in err and "[#" in err
    # Cleared at the end: the last thing written returns to the line's start.
    assert err.endswith("\r")
