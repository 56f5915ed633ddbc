"""Open an event log as a lazy Ibis table on an engine (embedded DuckDB by default, or Spark).

Every source becomes one Ibis table whose rows stay where they are (files stream from disk,
Spark keeps its partitions); nothing is read into pandas here.

Usage: ``table, backend = open_source("logs/*.parquet")``
"""

from __future__ import annotations

import atexit
import glob as _glob
import os
import shutil
from pathlib import Path
from typing import Any

from cjm_widgets.events.errors import EventsError

__all__ = ["open_source"]

_CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")
_PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")


def _duckdb_backend(con: Any = None) -> Any:
    import ibis

    if con is None:
        backend = ibis.duckdb.connect()
        _tune(backend.con)
    elif _is_duckdb_connection(con):
        backend = ibis.duckdb.from_connection(con)
    else:
        return con  # already an Ibis backend
    # one clock for every engine: timestamps are compared and shown in UTC
    backend.raw_sql("SET TimeZone = 'UTC'")
    return backend


#: DuckDB's memory limit on a connection the log opens itself: a quarter of the machine's
#: memory, at most 2.5 GB (see :func:`_tune`).
MEMORY_CAP = 2.5e9


#: The one spill folder of this process (made on first use, removed at exit).
_spill: list[str] = []


def _tune(raw: Any) -> None:
    """Settings of a DuckDB connection the log opens itself (a connection passed in as
    ``con=`` is used as it is).

    - ``memory_limit``: DuckDB's default is 80% of the machine, meant for a database server;
      in a notebook kernel the log shares memory with pandas frames, widgets and the browser.
      A quarter of the memory, at most 2.5 GB, keeps the whole process under 4 GB on 10⁸
      events; the analyses' large steps (the window over each case, groupings by case) spill
      to ``temp_directory`` beyond it instead of failing.
    - ``temp_directory``: one folder per process under the system's temporary folder, removed
      at exit (DuckDB's default for an in-memory database is ``.tmp`` in the working folder:
      the notebook's).
    - ``threads``: every core (``os.cpu_count()``), said explicitly: the window and the
      groupings are parallel per partition.
    - ``preserve_insertion_order=false``: the temporary tables of the analyses need no row
      order, and keeping it makes DuckDB buffer large results in memory.
    """
    import tempfile

    try:
        total = float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        total = 8e9
    limit_mb = int(min(total / 4, MEMORY_CAP) / 1e6)
    if not _spill:
        _spill.append(tempfile.mkdtemp(prefix="cjm-duckdb-"))
        atexit.register(shutil.rmtree, _spill[0], True)
    spill = _spill[0]
    raw.execute(f"SET memory_limit = '{limit_mb}MB'")
    raw.execute(f"SET temp_directory = '{spill}'")
    raw.execute(f"SET threads = {max(1, os.cpu_count() or 1)}")
    raw.execute("SET preserve_insertion_order = false")


def _is_duckdb_connection(con: Any) -> bool:
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        return False
    return isinstance(con, duckdb.DuckDBPyConnection)


def _kind(path: str) -> str:
    low = path.lower()
    if low.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith(_CSV_SUFFIXES) or low.endswith(".gz"):
        return "csv"
    raise EventsError(
        f"Cannot tell the format of {path!r}: name a .csv, .csv.gz, .tsv or .parquet file "
        "(or read it yourself and pass a pandas frame or a DuckDB relation)."
    )


def _from_path(path: str, con: Any, text: bool = True) -> tuple[Any, Any]:
    matches = sorted(_glob.glob(path)) if any(c in path for c in "*?[") else [path]
    if not matches or not all(Path(m).exists() for m in matches):
        raise EventsError(f"No event log file matches {path!r} (working folder {Path.cwd()}).")
    kinds = {_kind(m) for m in matches}
    if len(kinds) > 1:
        raise EventsError(f"{path!r} matches both CSV and Parquet files: name one kind.")
    backend = _duckdb_backend(con)
    if kinds == {"parquet"}:
        table = backend.read_parquet(matches)
    elif text:
        # every column as text: times are parsed (and their problems counted) in one place
        table = backend.read_csv(matches, all_varchar=True, header=True)
    else:
        table = backend.read_csv(matches, header=True)
    return table, backend


def open_source(source: Any, *, con: Any = None, text: bool = True) -> tuple[Any, Any]:
    """``(table, backend)`` for ``source``: a path or glob (CSV, TSV, Parquet, gzip), a pandas
    frame, a DuckDB relation, a Spark DataFrame or an Ibis table.

    ``con`` is the engine to use: a DuckDB connection (the one a relation belongs to; by default
    DuckDB's default connection for relations and a new in-memory one otherwise), a Spark
    session, or any Ibis backend. ``text=False`` lets DuckDB infer the types of CSV columns
    (numbers stay numbers) instead of reading every column as text.
    """
    import ibis

    if isinstance(source, (str, Path)):
        return _from_path(str(source), con, text)
    if isinstance(source, ibis.expr.types.Table):
        try:
            backend = source._find_backend()
        except Exception:  # an in-memory table: run it on DuckDB
            backend = _duckdb_backend(con)
        return source, backend
    module = type(source).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if not isinstance(source, pd.DataFrame):
            raise EventsError(f"An event log must be a DataFrame, not a {type(source).__name__}.")
        backend = _duckdb_backend(con)
        name = _temp_name()
        if hasattr(backend, "con") and hasattr(backend.con, "register"):
            backend.con.register(name, source)  # a view over the frame's arrays, no copy
            return backend.table(name), backend
        return backend.create_table(name, source, temp=True), backend
    if module.startswith("duckdb") and hasattr(source, "create_view"):
        import duckdb

        raw = con if con is not None else duckdb.default_connection()
        name = _temp_name()
        try:
            source.create_view(name, replace=True)
        except Exception as err:  # pragma: no cover - depends on DuckDB's messages
            raise EventsError(f"Could not register the DuckDB relation: {err}") from err
        backend = _duckdb_backend(raw)
        try:
            return backend.table(name), backend
        except Exception as err:
            raise EventsError(
                "The DuckDB relation belongs to another connection: pass it as "
                "cjm.Events(relation, ..., con=that_connection)."
            ) from err
    if module.startswith("pyspark"):
        spark = con if con is not None else source.sparkSession
        is_ibis = hasattr(spark, "raw_sql") and hasattr(spark, "list_tables")
        backend = spark if is_ibis else ibis.pyspark.connect(spark)
        name = _temp_name()
        source.createOrReplaceTempView(name)
        return backend.table(name), backend
    raise EventsError(
        f"Cannot read an event log from a {type(source).__name__}: pass a path or glob "
        "(CSV, Parquet), a pandas DataFrame, a DuckDB relation, a Spark DataFrame or an Ibis "
        "table."
    )


_counter = [0]


def _temp_name() -> str:
    import uuid

    _counter[0] += 1
    return f"cjm_events_{_counter[0]}_{uuid.uuid4().hex[:8]}"
