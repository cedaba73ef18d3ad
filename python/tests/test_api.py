"""The package's functions: protocols, show, run, records, summary, statistics,
report, figures, sweeps, life studies and errors."""

import json
from pathlib import Path

import numpy as np
import pytest

import helplessness as lh


def test_protocols_lists_every_kind_with_its_paper():
    listed = {p.name: p for p in lh.protocols()}
    assert listed["triadic-rat"].kind == "lab"
    assert "1967" in listed["triadic-dog"].source
    assert listed["life-situational"].kind == "life"
    assert listed["sweep-contingency"].kind == "sweep"
    assert all(p.description for p in listed.values())


def test_show_gives_a_complete_protocol_that_runs_again():
    text = lh.show("triadic-rat")
    assert "[[group]]" in text and "dt_s" in text
    again = lh.run(text, subjects=3, seed=1, records="test")
    assert again.name == "triadic-rat"
    assert "[[axis]]" in lh.show("sweep-contingency")
    assert "[[life]]" in lh.show("life-situational")


def test_run_returns_records_as_columns():
    run = lh.run("triadic-rat", subjects=6, seed=7)
    records = run.records
    assert records.names[:10] == [
        "group", "subject", "phase", "trial", "onset_s", "shock_s", "latency_s",
        "escaped", "forced", "responses",
    ]
    assert "c" in records.names and "esteem" in records.names
    assert records.categories["group"] == ["escapable", "inescapable", "no-shock"]
    columns = records.columns
    assert columns["group"].dtype == np.uint32
    assert columns["latency_s"].dtype == np.float64
    assert columns["escaped"].dtype == np.bool_
    # 6 subjects x (80 + 27 trials) in two groups, the home-cage group tested only.
    assert len(records) == 6 * (80 + 27) * 2 + 6 * 27
    # Decoded names, and a read-only view of the run.
    assert set(records["group"]) == {"escapable", "inescapable", "no-shock"}
    with pytest.raises(ValueError):
        columns["trial"][0] = 99
    assert repr(run).startswith("<Run triadic-rat: seed 7")


def test_the_protocols_seed_is_used_when_none_is_given():
    a = lh.run("triadic-dog", subjects=2)
    b = lh.run("triadic-dog", subjects=2, seed=a.seed)
    assert f"seed = {a.seed}" in a.protocol
    assert np.array_equal(a.records.columns["latency_s"], b.records.columns["latency_s"], equal_nan=True)


def test_threads_do_not_change_a_single_value():
    one = lh.run("triadic-rat", subjects=10, seed=3, threads=1)
    two = lh.run("triadic-rat", subjects=10, seed=3, threads=2)
    for name in one.records.names:
        assert np.array_equal(one.records.columns[name], two.records.columns[name], equal_nan=True), name


def test_records_test_keeps_only_the_scored_phases_and_none_keeps_none():
    test = lh.run("triadic-rat", subjects=4, seed=2, records="test")
    assert set(test.records["phase"]) == {"test"}
    none = lh.run("triadic-rat", subjects=4, seed=2, records="none")
    assert none.records is None
    with pytest.raises(lh.Error, match="kept no records"):
        none.to_pandas()
    # Summaries still cover every phase.
    assert set(none.summary["phase"]) == {"pretreatment", "test"}


def test_summary_stats_and_report_are_the_run_directory_files():
    run = lh.run("triadic-rat", subjects=30, seed=7)
    summary = run.summary
    assert summary.names[:4] == ["group", "phase", "trial", "n"]
    assert summary.columns["n"].dtype == np.int64
    stats = run.stats
    assert stats["protocol"] == "triadic-rat" and stats["seed"] == 7
    (phase,) = stats["phases"]
    assert phase["phase"] == "test"
    assert phase["anova"]["p"] < 0.05  # 30 a group: the triad's difference is large
    assert run.report.startswith("# triadic-rat")


def test_figures_render_as_png_and_svg(tmp_path):
    run = lh.run("triadic-rat", subjects=5, seed=1)
    fig = run.figure("latency")
    assert fig.stem == "latency-by-trial" and "latency" in fig.caption
    assert fig.png.startswith(b"\x89PNG") and fig._repr_png_() == fig.png
    assert fig._repr_svg_().startswith("<svg")
    fig.save(tmp_path / "f.svg")
    fig.save(tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes() == fig.png
    for name in ["failing", "subjects", "traces"]:
        assert run.figure(name).png.startswith(b"\x89PNG")
    large = run.figure("failing", width=640, height=480, dpi=192)
    assert large.png != run.figure("failing").png
    with pytest.raises(lh.Error, match="no figure `histogram`"):
        run.figure("histogram")


def test_a_protocol_with_several_scored_phases_asks_for_one():
    run = lh.run("forced-exposure-dog", subjects=3, seed=1, records="none")
    with pytest.raises(lh.Error, match="give phase= one of test-1, test-2"):
        run.figure("latency")
    assert run.figure("latency", phase="test-2").stem == "latency-by-trial-test-2"
    with pytest.raises(lh.Error, match="scored phases"):
        run.figure("latency", phase="tset")


def test_a_life_study_runs_the_same_way():
    run = lh.run("life-situational", subjects=5, seed=2)
    assert run.kind == "life"
    weeks = run.records
    assert weeks.names == [
        "group", "subject", "phase", "week", "domain", "opportunities", "attempts",
        "successes", "E", "G", "esteem", "helpless",
    ]
    assert "work" in weeks.categories["domain"]
    assert run.summary.names[0] == "group"
    assert "phase_ends" in run.stats
    assert "| phase | week | domain |" in run.report
    assert run.figure("trajectories").svg.startswith("<svg")
    with pytest.raises(lh.Error, match="no test phase"):
        lh.run("life-situational", subjects=2, records="test")


def test_theories_are_chosen_in_the_protocol():
    expectancy = lh.run('extends = "triadic-rat"\n[mind]\ntheory = "expectancy"\n', subjects=4, seed=1)
    circuit = lh.run("triadic-rat", subjects=4, seed=1)
    # Each theory records its own variables: the circuit's DRN (d), not the expectancy's.
    assert "d" in circuit.records.names and "d" not in expectancy.records.names
    assert "r" in expectancy.records.names
    # Draws of parameters another theory lacks are refused, with the way out.
    with pytest.raises(lh.Error, match="vary = \\[\\]"):
        lh.run('extends = "triadic-rat"\n[mind]\ntheory = "arbitration"\n', subjects=2)
    arbitration = lh.run('extends = "triadic-rat"\nvary = []\n[mind]\ntheory = "arbitration"\n', subjects=2, seed=1)
    assert arbitration.records.names != circuit.records.names


def test_paths_and_text_are_accepted(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(lh.show("triadic-dog"))
    by_path = lh.run(path, subjects=2, seed=4)
    by_str = lh.run(str(path), subjects=2, seed=4)
    by_text = lh.run(path.read_text(), subjects=2, seed=4)
    for other in (by_str, by_text):
        assert np.array_equal(by_path.records.columns["latency_s"], other.records.columns["latency_s"], equal_nan=True)


def test_errors_name_the_file_line_field_and_value(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(lh.show("triadic-dog").replace("cutoff_s = 60.0", "cutoff_s = -3.0", 1))
    with pytest.raises(lh.Error) as e:
        lh.run(bad)
    message = str(e.value)
    assert str(bad) in message and "cutoff_s" in message and "-3" in message
    assert isinstance(e.value, ValueError)
    with pytest.raises(lh.Error, match="did you mean `triadic-rat`"):
        lh.run("triadic-cat")
    with pytest.raises(lh.Error, match="no such protocol file"):
        lh.run("missing/protocol.toml")
    with pytest.raises(lh.Error, match="<string>:2"):
        lh.run("[[group]]\nname = 3\n")
    with pytest.raises(lh.Error, match="one of all, test, none"):
        lh.run("triadic-dog", records="some")
    with pytest.raises(lh.Error, match="threads"):
        lh.run("triadic-dog", threads=0)
    with pytest.raises(lh.Error, match="subjects"):
        lh.run("triadic-dog", subjects=0)
    with pytest.raises(TypeError):
        lh.run(42)
    with pytest.raises(lh.Error, match="a sweep"):
        lh.run("sweep-contingency")
    with pytest.raises(lh.Error, match="not a sweep"):
        lh.sweep("triadic-rat")
    with pytest.raises(lh.Error, match="shard"):
        lh.sweep("sweep-contingency", shard=(4, 4))


def test_a_sweep_returns_its_table_and_shards_partition_it():
    whole = lh.sweep("sweep-contingency", shard=(0, 20), subjects=3, replicates=1)
    assert {"point", "group", "phase", "mean_latency_s"} <= set(whole.names)
    assert set(np.unique(whole.columns["point"]) % 20) == {0}
    other = lh.sweep("sweep-contingency", shard=(1, 20), subjects=3, replicates=1)
    assert set(np.unique(other.columns["point"]) % 20) == {1}
    again = lh.sweep("sweep-contingency", shard=(0, 20), subjects=3, replicates=1)
    assert np.array_equal(whole.columns["mean_latency_s"], again.columns["mean_latency_s"], equal_nan=True)


def test_stats_is_json_of_the_statistics():
    run = lh.run("triadic-dog", subjects=8, seed=3, records="none")
    assert json.loads(json.dumps(run.stats)) == run.stats
    assert Path(lh.__file__).parent.joinpath("py.typed").exists()
    assert Path(lh.__file__).parent.joinpath("_native.pyi").exists()


def test_the_docstring_examples_run():
    import doctest

    failures, tried = doctest.testmod(lh, optionflags=doctest.ELLIPSIS)
    assert tried >= 6 and failures == 0


def test_write_csv_refuses_columns_that_are_not_the_runs(tmp_path):
    run = lh.run("triadic-dog", subjects=2, seed=1)
    columns = dict(run.records.columns)
    columns["trial"] = columns["trial"][:-1]
    with pytest.raises(lh.Error, match="as many rows"):
        run._native.write_csv(str(tmp_path / "r.csv"), columns, run.records.categories)
    assert not (tmp_path / "r.csv").exists()
    with pytest.raises(lh.Error, match="no column `c`"):
        run._native.write_csv(str(tmp_path / "r.csv"), {k: v for k, v in columns.items() if k != "c"}, run.records.categories)
