"""Finding and reading input files for the readers: globs, CSV/TSV/XLSX (gzipped too) with
encoding sniffing. Usage: internal, for the readers."""

from __future__ import annotations

import glob
import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cjm_widgets.errors import EvidenceError, ReaderError
from cjm_widgets.evidence._encoding import ENCODINGS_TRIED, decode_bytes, sniff_encoding
from cjm_widgets.evidence._reader_base import (
    _STR,
    TABLE_EXTENSIONS,
    _doc_name,
)


def _resolve_paths(paths_or_glob: object, allowed: Sequence[str]) -> list[Path]:
    items = (
        [paths_or_glob]
        if isinstance(paths_or_glob, str | Path)
        else list(
            paths_or_glob  # type: ignore[call-overload]
        )
    )
    if not items:
        raise ReaderError(
            "no files given: pass a path, a list of paths or a glob such as 'interviews/*.vtt'"
        )
    out: list[Path] = []
    for item in items:
        text = str(item)
        if isinstance(item, str) and any(ch in text for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not found:
                raise ReaderError(f"no files match the pattern {text!r}")
            out.extend(found)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and _ext(p) in allowed)
            if not found:
                raise ReaderError(
                    f"folder {text!r} holds no files of a supported type ({', '.join(allowed)})"
                )
            out.extend(found)
        elif not path.exists():
            raise ReaderError(f"file not found: {text!r} (check the path or the glob pattern)")
        else:
            out.append(path)
    return out


def _ext(path: Path) -> str:
    name = path.name.lower()
    for compound in (".csv.gz", ".tsv.gz"):
        if name.endswith(compound):
            return compound
    return path.suffix.lower()


def _read_table(path: Path, encoding: str | None) -> tuple[pd.DataFrame, str]:
    """CSV / TSV / XLSX (+ .csv.gz) → DataFrame and the encoding used."""
    ext = _ext(path)
    if ext not in TABLE_EXTENSIONS:
        raise ReaderError(
            f"{path}: unsupported file type {ext or '(none)'!r}; supported: "
            f"{', '.join(TABLE_EXTENSIONS)} (or pass a DataFrame)"
        )
    if not path.exists():
        raise ReaderError(f"file not found: {str(path)!r}")
    if path.stat().st_size == 0:
        raise ReaderError(f"{path} is empty: there is no evidence to read")
    if ext in (".xlsx", ".xlsm"):
        from openpyxl.utils.exceptions import InvalidFileException

        # a damaged workbook: not a zip or truncated (BadZipFile, EOFError, zlib.error), a
        # missing part (KeyError), broken XML (SyntaxError), bad cell data (ValueError,
        # TypeError from openpyxl's readers), not a workbook (InvalidFileException)
        damaged = (
            zipfile.BadZipFile,
            InvalidFileException,
            EOFError,
            zlib.error,
            KeyError,
            SyntaxError,
            ValueError,
            TypeError,
            OSError,
        )
        try:
            df = pd.read_excel(path, engine="openpyxl")
        except damaged as err:
            raise ReaderError(f"{path}: not a readable Excel workbook ({err})") from None
        if df.empty and len(df.columns) == 0:
            raise ReaderError(f"{path} is empty: the first sheet has no data")
        return df, "xlsx"
    sep = "\t" if ext in (".tsv", ".tsv.gz") else ","
    opener = gzip.open if ext.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as err:
        raise ReaderError(f"{path}: cannot be read ({err})") from None
    if not head.strip():
        raise ReaderError(f"{path} is empty: there is no evidence to read")
    sniffed = sniff_encoding(head)
    try:
        if (sniffed and sniffed.startswith("utf-16")) or encoding is not None:
            data = gzip.decompress(path.read_bytes()) if ext.endswith(".gz") else path.read_bytes()
            text, used = decode_bytes(data, path, encoding)
            return pd.read_csv(io.StringIO(text), sep=sep), used
        if b"\x00" in head:
            raise ReaderError(
                f"{path}: looks binary, not a text table; tried {', '.join(ENCODINGS_TRIED)}; "
                "pass encoding='...' if it is text"
            )
        used = sniffed or "utf-8"
        source = _csv_source(path, ext)
        # inflated bytes go to the C parser (single-threaded, as quick as the pyarrow engine
        # on two idle cores and quicker on a busy machine); files use the pyarrow engine
        fast = _read_csv_fast(path, sep, used) if source() is path else None
        if fast is not None:
            return fast, used
        try:
            return pd.read_csv(source(), sep=sep, encoding=used), used
        except UnicodeDecodeError:
            try:
                return pd.read_csv(source(), sep=sep, encoding="cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise ReaderError(
                    f"{path}: cannot be decoded; tried {', '.join(ENCODINGS_TRIED)}; "
                    "pass encoding='...' if you know the file's encoding"
                ) from None
    except pd.errors.EmptyDataError:
        raise ReaderError(f"{path} is empty: there is no evidence to read") from None
    except pd.errors.ParserError as err:
        raise ReaderError(f"{path}: not a readable table ({err})") from None


#: gzipped tables up to this size (compressed) are inflated in one call: faster than the
#: streamed reads pandas makes from a gzip file
_GUNZIP_WHOLE = 64 * 2**20


def _csv_source(path: Path, ext: str) -> Callable[[], Path | io.BytesIO]:
    """A maker of the parser's input: the path, or the inflated bytes of a small .gz."""
    if ext.endswith(".gz") and path.stat().st_size <= _GUNZIP_WHOLE:
        try:
            data = gzip.decompress(path.read_bytes())
        except (OSError, EOFError, zlib.error):
            return lambda: path  # a damaged archive: the parser reports it as before
        return lambda: io.BytesIO(data)
    return lambda: path


def _read_csv_fast(path: Path, sep: str, encoding: str) -> pd.DataFrame | None:
    """pandas' multi-threaded pyarrow CSV engine, or None when its result could differ.

    Falls back (None) on any parser problem and whenever a column is not plainly numeric,
    boolean or text (pyarrow infers dates; undecodable text comes back as bytes), so the
    result always equals the C engine's; the C engine then reports errors.
    """
    try:
        df = pd.read_csv(path, sep=sep, encoding=encoding, engine="pyarrow")
    except (pa.ArrowException, ValueError, OSError, pd.errors.ParserError):
        # pyarrow refused the file (ArrowInvalid is a ValueError; undecodable text, a ragged
        # row): the reference C engine reads it again and reports the problem
        return None
    for dtype in df.dtypes:
        if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
            continue
        if dtype == _STR:
            continue
        return None
    return df


def _input_frame(
    df_or_path: pd.DataFrame | str | Path,
    document: str | None,
    meta: dict[str, Any],
    default_doc: str,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, str]:
    if isinstance(df_or_path, pd.DataFrame):
        return df_or_path, document or default_doc
    if not isinstance(df_or_path, str | Path):
        raise EvidenceError(f"expected a DataFrame or a file path, got {type(df_or_path).__name__}")
    path = Path(df_or_path)
    df, used = _read_table(path, encoding)
    meta["files"] = [str(path)]
    meta["encodings"] = {str(path): used}
    return df, document or _doc_name(path)
