"""Simulate Seligman-style learned helplessness from Python.

The Rust library ``helplessness`` runs the experiments; this package hands its
records to the DataFrame libraries researchers analyse with, as numpy columns
(no CSV text in between).

>>> import helplessness as lh
>>> run = lh.run("triadic-rat", subjects=20, seed=7)
>>> run.records.names[:4]
['group', 'subject', 'phase', 'trial']
>>> df = run.to_pandas()                         # doctest: +SKIP
>>> df[df.phase == "test"].groupby("group", observed=True).latency_s.mean()  # doctest: +SKIP

The same protocol and seed give the same records as the command line
(``helplessness run triadic-rat --subjects 20 --seed 7``), byte for byte once
written with :meth:`Run.write_csv`. Simulation runs with the GIL released, on
``threads`` worker threads, and Ctrl-C stops it within a trial.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple, Union

import numpy as np

from . import _native
from ._native import Error

__all__ = [
    "Error",
    "Figure",
    "Protocol",
    "Run",
    "Table",
    "protocols",
    "run",
    "show",
    "sweep",
]

__version__: str = _native.version()

#: A bundled protocol's name, a file's path, or a protocol's TOML text.
ProtocolLike = Union[str, "os.PathLike[str]"]

#: ``None`` (a bar on a terminal), ``True`` (a bar), ``False`` (nothing), or a
#: function hearing ``(done, total)``.
ProgressLike = Union[None, bool, Callable[[int, int], Any]]


class _Bar:
    """A one-line progress bar on standard error, shown once a run lasts a second."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        if sys.stderr is None:
            return
        filled = 30 * done // total if total else 0
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {self.what}"
        sys.stderr.write("\r" + line.ljust(self.width))
        sys.stderr.flush()
        self.width = max(self.width, len(line))

    def close(self) -> None:
        if self.width and sys.stderr is not None:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def _reporter(progress: ProgressLike, what: str) -> Optional[Callable[[int, int], Any]]:
    if progress is None:
        isatty = getattr(sys.stderr, "isatty", None)
        progress = bool(isatty and isatty())
    if progress is True:
        return _Bar(what)
    if progress is False:
        return None
    if callable(progress):
        return progress
    raise TypeError("progress is True, False, None or a function of (done, total)")


def _with_progress(progress: ProgressLike, what: str, call: Callable[..., Any]) -> Any:
    report = _reporter(progress, what)
    try:
        return call(report)
    finally:
        if isinstance(report, _Bar):
            report.close()


class Protocol(NamedTuple):
    """A bundled protocol, life study or sweep."""

    name: str
    #: ``lab`` (groups x phases), ``life`` (people over weeks) or ``sweep``.
    kind: str
    description: str
    #: The paper it follows (empty for sweeps).
    source: str


def protocols() -> List[Protocol]:
    """Every bundled protocol, life study and sweep, as ``helplessness list`` shows them.

    >>> names = [p.name for p in protocols()]
    >>> "triadic-rat" in names and "life-situational" in names
    True
    """
    return [Protocol(*p) for p in _native.protocols()]


def _source(protocol: ProtocolLike) -> Tuple[str, str, str]:
    """(text, origin in errors, kind) of what ``protocol`` names or holds."""
    if isinstance(protocol, os.PathLike):
        return _native.source(os.fspath(protocol))
    if not isinstance(protocol, str):
        raise TypeError(
            f"a protocol is a bundled name, a path or TOML text, not {type(protocol).__name__}"
        )
    if ("\n" in protocol or "=" in protocol) and not os.path.isfile(protocol):
        return protocol, "<string>", _native.kind_of(protocol)
    return _native.source(protocol)


def show(protocol: ProtocolLike) -> str:
    """The protocol as ``helplessness show`` prints it: a laboratory protocol complete
    (every default written out, ready to edit and run), a life study as written, a
    sweep resolved.

    >>> "[[group]]" in show("triadic-rat")
    True
    """
    text, origin, _ = _source(protocol)
    return _native.show(text, origin)


_INTEGER = re.compile(r"-?[0-9]+\Z")


def _parse_column(values: List[str]) -> Tuple[np.ndarray, Optional[List[str]]]:
    """A CSV column as numbers, flags or coded names (empty cells are NaN)."""
    if values and all(_INTEGER.match(v) for v in values):
        numbers = [int(v) for v in values]
        # Seeds are unsigned 64-bit numbers: past int64, the column is uint64.
        wide = np.uint64 if max(numbers) > np.iinfo(np.int64).max else np.int64
        return np.array(numbers, dtype=wide), None
    if values and all(v in ("true", "false") for v in values):
        return np.array([v == "true" for v in values], dtype=bool), None
    try:
        return np.array([float(v) if v else np.nan for v in values], dtype=np.float64), None
    except ValueError:
        pass
    names: Dict[str, int] = {}
    codes = np.array([names.setdefault(v, len(names)) for v in values], dtype=np.uint32)
    return codes, list(names)


def _table_from_csv(text: str) -> "Table":
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    columns: Dict[str, np.ndarray] = {}
    categories: Dict[str, List[str]] = {}
    for j, name in enumerate(header):
        values, names = _parse_column([r[j] for r in body])
        columns[name] = values
        if names is not None:
            categories[name] = names
    return Table(columns, categories)


class Table:
    """Columns of equal length, as numpy arrays.

    A coded column (``group``, ``phase``, ``domain``, or any text column of a
    summary) holds ``uint32`` codes into its names in :attr:`categories`; it becomes
    a categorical column in pandas and an enum column in polars. Float columns hold
    NaN where a value is undefined (``latency_s`` of a trial without shock); polars
    gets null there.
    """

    def __init__(
        self,
        columns: Dict[str, np.ndarray],
        categories: Optional[Dict[str, List[str]]] = None,
    ) -> None:
        # Read-only views: the table never changes, and the arrays given stay as they were.
        self._columns = {}
        for name, column in columns.items():
            view = np.asarray(column).view()
            view.flags.writeable = False
            self._columns[name] = view
        self._categories = dict(categories or {})
        lengths = {len(c) for c in self._columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns differ in length: {sorted(lengths)}")

    @property
    def columns(self) -> Dict[str, np.ndarray]:
        """The columns by name, in order (coded columns as codes; read-only arrays)."""
        return dict(self._columns)

    @property
    def categories(self) -> Dict[str, List[str]]:
        """The names behind each coded column."""
        return {k: list(v) for k, v in self._categories.items()}

    @property
    def names(self) -> List[str]:
        """Column names, in order."""
        return list(self._columns)

    def __len__(self) -> int:
        return len(next(iter(self._columns.values()))) if self._columns else 0

    def __getitem__(self, name: str) -> np.ndarray:
        """Column ``name``; a coded column decoded into its names."""
        try:
            column = self._columns[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; the columns are {', '.join(self._columns)}") from None
        names = self._categories.get(name)
        if names is None:
            return column
        return np.asarray(names, dtype=object)[column]

    def __repr__(self) -> str:
        return f"<Table: {len(self)} rows x {len(self._columns)} columns ({', '.join(self._columns)})>"

    def to_pandas(self, copy: bool = True) -> "Any":
        """A ``pandas.DataFrame`` (imports pandas; coded columns are categoricals).

        With ``copy=True`` the frame owns writable copies of the columns; with
        ``copy=False`` it reads the table's own arrays, which is immediate but
        read-only (an assignment into the frame raises ``ValueError``)."""
        import pandas as pd

        data: Dict[str, Any] = {}
        for name, column in self._columns.items():
            names = self._categories.get(name)
            if names is None:
                data[name] = column.copy() if copy else column
            else:
                if len(column) and int(column.max()) >= len(names):
                    raise Error(f"column `{name}` holds code {int(column.max())}, but there are {len(names)} names")
                data[name] = pd.Categorical.from_codes(column.astype(np.int64), categories=names)
        return pd.DataFrame(data, copy=False)

    def to_polars(self) -> "Any":
        """A ``polars.DataFrame`` (imports polars; coded columns are enums, NaN is null)."""
        import polars as pl

        series = []
        for name, column in self._columns.items():
            names = self._categories.get(name)
            if names is not None:
                levels = pl.Series(name, names, dtype=pl.Enum(names))
                series.append(levels.gather(pl.Series(column)))
            elif column.dtype.kind == "f":
                series.append(pl.Series(name, column, nan_to_null=True))
            else:
                series.append(pl.Series(name, column))
        return pl.DataFrame(series)


class Figure:
    """One of the field's figures, drawn by the library: shown inline in Jupyter (SVG),
    saved with :meth:`save`."""

    def __init__(self, stem: str, caption: str, png: bytes, svg: str) -> None:
        #: File stem, as a run directory names it (``latency-by-trial``).
        self.stem = stem
        self.caption = caption
        #: The PNG file's bytes.
        self.png = png
        #: The SVG document.
        self.svg = svg

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"<Figure {self.stem}: {self.caption}>"

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the figure as PNG or SVG, as the path's suffix says."""
        path = os.fspath(path)
        if path.endswith(".svg"):
            data = self.svg.encode()
        elif path.endswith(".png"):
            data = self.png
        else:
            raise Error(f"{path}: a figure is saved as .png or .svg")
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


#: Short names of figures, as in the README's list.
_FIGURE_NAMES = {
    "latency": "latency-by-trial",
    "subjects": "subject-latencies",
    "effect": "effect-vs-quantity",
}


class Run:
    """A finished run: records, summary, statistics, report and figures, as a run
    directory of the command line holds them."""

    def __init__(self, native: Any, columns: Dict[str, np.ndarray], categories: Dict[str, List[str]]) -> None:
        self._native = native
        self._records = Table(columns, categories) if columns else None
        self._summary: Optional[Table] = None
        self._stats: Optional[Dict[str, Any]] = None

    @property
    def name(self) -> str:
        """The experiment's (or life study's) name."""
        return self._native.name

    @property
    def seed(self) -> int:
        """The seed the run used."""
        return self._native.seed

    @property
    def kind(self) -> str:
        """``lab`` or ``life``."""
        return self._native.kind

    @property
    def protocol(self) -> str:
        """The protocol as run, as TOML that :func:`run` accepts (seed and sizes in)."""
        return self._native.protocol

    @property
    def records(self) -> Optional[Table]:
        """One row per subject x trial (``records.csv``), or per person x week x domain
        for a life run (``weeks.csv``); ``None`` when run with ``records="none"``."""
        return self._records

    @property
    def summary(self) -> Table:
        """``summary.csv``: per group x phase x trial (or group x week x domain)."""
        if self._summary is None:
            self._summary = _table_from_csv(self._native.summary_csv())
        return self._summary

    @property
    def stats(self) -> Dict[str, Any]:
        """``stats.json``: tests and effect sizes of every scored phase."""
        if self._stats is None:
            self._stats = json.loads(self._native.stats_json())
        return self._stats

    @property
    def report(self) -> str:
        """``report.md``: what ran and what it found, in Markdown (no figures)."""
        return self._native.report()

    def figure(
        self,
        name: str = "latency",
        *,
        phase: Optional[str] = None,
        width: int = 960,
        height: int = 600,
        dpi: float = 96.0,
    ) -> Figure:
        """A figure of the run: ``latency`` (mean escape latency by trial),
        ``failing``, ``subjects`` (each subject's mean latency), ``traces`` (internal
        state over all phases) or ``effect`` (against a varied quantity); for a life
        run ``trajectories`` or ``helpless``. ``phase`` picks a scored phase when
        there are several."""
        stem = _FIGURE_NAMES.get(name, name)
        if self.kind == "life" and phase is not None:
            raise Error("a life run's figures cover every phase: give no phase=")
        if stem == "traces":
            phase = None  # the traces cover every phase
        drawn = self._native.figures(stem, phase, width, height, dpi)
        if not drawn:
            known = (
                "trajectories, helpless"
                if self.kind == "life"
                else "latency, failing, subjects, traces, effect (when the protocol varies a quantity)"
            )
            raise Error(f"no figure `{name}` for this run; the figures are {known}")
        if len(drawn) > 1:
            phases = ", ".join(self._native.scored_phases())
            raise Error(f"figure `{name}` is drawn per scored phase: give phase= one of {phases}")
        stem, caption, png, svg = drawn[0]
        return Figure(stem, caption, png, svg)

    def to_pandas(self, copy: bool = True) -> "Any":
        """The records as a pandas DataFrame (see :meth:`Table.to_pandas`)."""
        return self._kept().to_pandas(copy=copy)

    def to_polars(self) -> "Any":
        """The records as a polars DataFrame (see :meth:`Table.to_polars`)."""
        return self._kept().to_polars()

    def write_csv(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the records as the command line's ``records.csv`` (``weeks.csv``
        for a life run), byte for byte; the file appears whole or not at all."""
        records = self._kept()
        self._native.write_csv(os.fspath(path), records._columns, records._categories)

    def _kept(self) -> Table:
        if self._records is None:
            raise Error('this run kept no records (records="none"): run it again with records="all" or "test"')
        return self._records

    def __repr__(self) -> str:
        rows = "no records" if self._records is None else f"{len(self._records)} records"
        return f"<Run {self.name}: seed {self.seed}, {rows}>"


def run(
    protocol: ProtocolLike,
    *,
    subjects: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    records: str = "all",
    progress: ProgressLike = None,
) -> Run:
    """Runs a protocol, as ``helplessness run`` does.

    ``protocol`` is a bundled name (:func:`protocols`), a path to a protocol file
    (TOML, or a run's manifest.json) or the TOML text itself. ``subjects`` sets every
    group's size, ``seed`` the seed of every random stream (the protocol's own when
    ``None``), ``threads`` the worker threads (every core when ``None``; the output is
    the same for any number), ``records`` which records to keep: ``all``, ``test``
    (the scored phases) or ``none`` (summaries only). A run lasting more than a second
    reports its progress (yoke sets, or people in a life study) to ``progress``: a bar
    on standard error when it is a terminal (``None``), always (``True``), never
    (``False``), or a function of ``(done, total)``, such as a ``tqdm`` bar's update.

    Raises :class:`Error` (a ``ValueError``) with the command line's message for a
    protocol or argument the library refuses, and ``KeyboardInterrupt`` on Ctrl-C.

    >>> r = run("triadic-dog", subjects=4, seed=1, records="test")
    >>> sorted(set(r.records["phase"]))
    ['test']
    """
    text, origin, kind = _source(protocol)
    if kind == "sweep":
        raise Error(f"{origin}: a sweep; run it with helplessness.sweep")
    what = "people" if kind == "life" else "yoke sets"
    native, columns, categories = _with_progress(
        progress,
        what,
        lambda report: _native.run(
            text,
            origin,
            subjects=subjects,
            seed=seed,
            threads=threads,
            records=records,
            progress=report,
        ),
    )
    return Run(native, columns, categories)


def sweep(
    sweep: ProtocolLike,
    *,
    shard: Tuple[int, int] = (0, 1),
    subjects: Optional[int] = None,
    replicates: Optional[int] = None,
    threads: Optional[int] = None,
    progress: ProgressLike = None,
) -> Table:
    """Runs a sweep (a bundled sweep's name, a sweep file's path or its TOML text), or
    shard ``(i, n)`` of it (the points whose number % n == i), as
    ``helplessness sweep --shard i/n`` does; returns its table (``sweep.csv``): one
    row per point x group x scored phase. ``subjects`` and ``replicates`` override the
    sweep file's; ``threads`` and ``progress`` (points done) are as for :func:`run`.

    >>> t = sweep("sweep-contingency", shard=(0, 40), subjects=3, replicates=1)
    >>> "mean_latency_s" in t.names
    True
    """
    text, origin, kind = _source(sweep)
    if kind != "sweep":
        raise Error(f"{origin}: a protocol, not a sweep (it has no [[axis]] or [sample]); run it with helplessness.run")
    try:
        index, count = (int(x) for x in shard)
    except (TypeError, ValueError):
        raise Error(f"invalid value {shard!r} for `shard`: must be (i, n), e.g. (0, 4) for the first of 4 shards") from None
    if count < 1 or not 0 <= index < count:
        raise Error(f"invalid value {shard!r} for `shard`: (i, n) with 0 <= i < n")
    csv_text = _with_progress(
        progress,
        "points",
        lambda report: _native.sweep_csv(
            text,
            origin,
            shard_index=index,
            shard_count=count,
            subjects=subjects,
            replicates=replicates,
            threads=threads,
            progress=report,
        ),
    )
    return _table_from_csv(csv_text)
