"""Records as pandas and polars DataFrames, and how fast a million become one."""

import time

import numpy as np
import pytest

import helplessness as lh

from conftest import BENCHMARKS


@pytest.fixture(scope="module")
def run():
    return lh.run("triadic-rat", subjects=40, seed=11)


def test_pandas_frame_has_the_records_typed(run):
    pd = pytest.importorskip("pandas")
    df = run.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == run.records.names
    assert len(df) == len(run.records)
    assert isinstance(df["group"].dtype, pd.CategoricalDtype)
    assert list(df["group"].cat.categories) == ["escapable", "inescapable", "no-shock"]
    assert df["latency_s"].dtype == np.float64 and df["escaped"].dtype == bool
    # The yoked group escapes slower in the test than the escapable group.
    test = df[df.phase == "test"].groupby("group", observed=True).latency_s.mean()
    assert test["inescapable"] > test["escapable"]
    np.testing.assert_array_equal(df["trial"].to_numpy(), run.records.columns["trial"])


def test_pandas_frames_are_copies_unless_asked(run):
    pytest.importorskip("pandas")
    df = run.to_pandas()
    df.loc[df.trial == 1, "latency_s"] = -1.0  # a copy: writable, the run unchanged
    assert (run.records.columns["latency_s"] >= 0).all()
    shared = run.to_pandas(copy=False)
    with pytest.raises(ValueError, match="read-only"):
        shared.loc[shared.trial == 1, "latency_s"] = -1.0


def test_a_table_leaves_the_arrays_it_is_given_alone():
    given = np.arange(3.0)
    table = lh.Table({"x": given, "y": [1, 2, 3]})
    given[0] = 7.0  # still the caller's, writable
    assert table.columns["x"][0] == 7.0 and not table.columns["x"].flags.writeable
    assert table.columns["y"].tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match="differ in length"):
        lh.Table({"a": np.zeros(2), "b": np.zeros(3)})


def test_polars_frame_has_the_records_typed(run):
    pl = pytest.importorskip("polars")
    df = run.to_polars()
    assert isinstance(df, pl.DataFrame)
    assert df.columns == run.records.names
    assert df.height == len(run.records)
    assert df.schema["group"] == pl.Enum(["escapable", "inescapable", "no-shock"])
    assert df["group"].to_list() == list(run.records["group"])
    # A trial without shock has no latency: null in polars, NaN in numpy.
    nan = np.isnan(run.records.columns["latency_s"])
    assert df["latency_s"].null_count() == int(nan.sum())
    undefined = lh.Table({"x": np.array([1.0, np.nan, 3.0])}).to_polars()
    assert undefined["x"].null_count() == 1 and undefined["x"].to_list() == [1.0, None, 3.0]
    means = df.filter(pl.col("phase") == "test").group_by("group").agg(pl.col("latency_s").mean())
    by = dict(zip(means["group"].to_list(), means["latency_s"].to_list()))
    assert by["inescapable"] > by["escapable"]


def test_summary_and_sweep_tables_become_frames(run):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    assert len(run.summary.to_pandas()) == len(run.summary) == run.summary.to_polars().height
    table = lh.sweep("sweep-contingency", shard=(0, 40), subjects=2, replicates=1)
    assert isinstance(table.to_pandas(), pd.DataFrame)
    assert table.to_polars().height == len(table)


def test_a_million_records_become_a_frame_quickly():
    """Benchmark, printed at the end of the session (not asserted on time)."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    started = time.perf_counter()
    run = lh.run("triadic-rat", subjects=4200, seed=1)
    simulated = time.perf_counter() - started
    n = len(run.records)
    assert n >= 1_000_000
    timed = {}
    for what, make in [
        ("to_pandas()", run.to_pandas),
        ("to_pandas(copy=False)", lambda: run.to_pandas(copy=False)),
        ("to_polars()", run.to_polars),
    ]:
        started = time.perf_counter()
        frame = make()
        timed[what] = time.perf_counter() - started
        assert len(frame) == n
    BENCHMARKS.append(
        f"{n:,} records x {len(run.records.names)} columns: run {simulated:.2f} s; "
        + "; ".join(f"{what} {1e3 * t:.0f} ms" for what, t in timed.items())
    )
