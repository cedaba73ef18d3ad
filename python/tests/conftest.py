"""Shared fixtures: the command-line tool to compare with, and benchmark lines
printed at the end of the session."""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: (what, figure) lines the benchmarks print after the tests.
BENCHMARKS = []


@pytest.fixture(scope="session")
def cli():
    """The `helplessness` binary: $HELPLESSNESS_CLI, else the newest one built in the
    repository, else one on the PATH."""
    given = os.environ.get("HELPLESSNESS_CLI")
    built = [REPO / "target" / p / "helplessness" for p in ("release", "debug")]
    candidates = [given] if given else [
        *sorted((str(b) for b in built if b.is_file()), key=os.path.getmtime, reverse=True),
        shutil.which("helplessness"),
    ]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    pytest.fail(
        "no helplessness binary to compare with: build it (cargo build --release) "
        "or set HELPLESSNESS_CLI"
    )


def pytest_terminal_summary(terminalreporter):
    if BENCHMARKS:
        terminalreporter.section("benchmarks")
        for line in BENCHMARKS:
            terminalreporter.write_line(line)
