"""Type stubs of the compiled module `helplessness._native` (see `helplessness`)."""

from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

__all__ = ["Error", "NativeRun", "kind_of", "protocols", "run", "show", "source", "sweep_csv", "version"]

class Error(ValueError):
    """A protocol, a sweep or an argument the library refuses; the message names the
    file, line, field and value as the command line does."""

class NativeRun:
    @property
    def name(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def protocol(self) -> str: ...
    @property
    def records(self) -> str: ...
    def summary_csv(self) -> str: ...
    def stats_json(self) -> str: ...
    def report(self) -> str: ...
    def scored_phases(self) -> List[str]: ...
    def figures(
        self,
        stem: str,
        phase: Optional[str] = None,
        width: int = 960,
        height: int = 600,
        dpi: float = 96.0,
    ) -> List[Tuple[str, str, bytes, str]]: ...
    def write_csv(
        self,
        path: str,
        columns: Dict[str, np.ndarray],
        categories: Dict[str, List[str]],
    ) -> None: ...

def source(arg: str) -> Tuple[str, str, str]: ...
def kind_of(text: str) -> str: ...
def protocols() -> List[Tuple[str, str, str, str]]: ...
def show(text: str, origin: str) -> str: ...
def run(
    text: str,
    origin: str,
    *,
    subjects: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    records: str = "all",
    progress: Optional[Callable[[int, int], Any]] = None,
) -> Tuple[NativeRun, Dict[str, np.ndarray], Dict[str, List[str]]]: ...
def sweep_csv(
    text: str,
    origin: str,
    *,
    shard_index: int = 0,
    shard_count: int = 1,
    subjects: Optional[int] = None,
    replicates: Optional[int] = None,
    threads: Optional[int] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
) -> str: ...
def version() -> str: ...
