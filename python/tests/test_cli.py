"""The same protocol and seed give what the command line writes, byte for byte."""

import csv
import json
import subprocess

import numpy as np
import pytest

import helplessness as lh


def cli_run(cli, tmp_path, *args):
    out = tmp_path / "cli"
    subprocess.run(
        [cli, "run", *args, "--out", str(out), "--quiet", "--no-plots"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


@pytest.mark.parametrize("records", ["all", "test"])
def test_records_summary_stats_and_report_equal_the_cli(cli, tmp_path, records):
    out = cli_run(cli, tmp_path, "triadic-rat", "--subjects", "25", "--seed", "7", "--records", records)
    run = lh.run("triadic-rat", subjects=25, seed=7, records=records)
    run.write_csv(tmp_path / "records.csv")
    assert (tmp_path / "records.csv").read_bytes() == (out / "records.csv").read_bytes()
    assert run._native.summary_csv().encode() == (out / "summary.csv").read_bytes()
    assert run.stats == json.loads((out / "stats.json").read_text())
    assert run.report == (out / "report.md").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == run.seed == 7


def test_weeks_of_a_life_study_equal_the_cli(cli, tmp_path):
    out = cli_run(cli, tmp_path, "life-situational", "--subjects", "12", "--seed", "5")
    run = lh.run("life-situational", subjects=12, seed=5)
    run.write_csv(tmp_path / "weeks.csv")
    assert (tmp_path / "weeks.csv").read_bytes() == (out / "weeks.csv").read_bytes()
    assert run._native.summary_csv().encode() == (out / "summary.csv").read_bytes()
    assert run.stats == json.loads((out / "stats.json").read_text())
    assert run.report == (out / "report.md").read_text()


def test_show_prints_what_the_cli_prints(cli):
    for name in ["triadic-rat", "life-situational", "sweep-contingency"]:
        printed = subprocess.run([cli, "show", name], check=True, capture_output=True, text=True).stdout
        assert lh.show(name) == printed, name


def test_a_sweep_shard_equals_the_cli_shard(cli, tmp_path):
    out = tmp_path / "sweep"
    subprocess.run(
        [cli, "sweep", "sweep-contingency", "--shard", "3/16", "--subjects", "4",
         "--replicates", "1", "--out", str(out), "--quiet"],
        check=True,
    )
    table = lh.sweep("sweep-contingency", shard=(3, 16), subjects=4, replicates=1)
    with open(out / "sweep.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(table)
    cell = lambda text: float(text) if text else float("nan")  # noqa: E731
    for j, row in enumerate(rows):
        assert int(row["point"]) == table.columns["point"][j]
        assert row["group"] == table["group"][j]
        for name in ["mean_latency_s", "sem_latency_s"]:
            assert np.array_equal(cell(row[name]), table.columns[name][j], equal_nan=True)


def test_cli_error_messages_are_the_exception_messages(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(lh.show("triadic-dog").replace("cutoff_s = 60.0", "cutoff_s = -3.0", 1))
    printed = subprocess.run([cli, "check", str(bad)], capture_output=True, text=True)
    assert printed.returncode != 0
    with pytest.raises(lh.Error) as e:
        lh.run(bad)
    assert printed.stderr.strip() == f"error: {e.value}"
