"""The ``cjm-widgets`` command line, for people who don't start from Python.

Usage::

    cjm-widgets lab [PATH] [JUPYTER-LAB-OPTIONS]  # JupyterLab, also as root (--allow-root added)
    cjm-widgets demo [DIR] [--no-open]        # the quickstart notebook + demo data, in JupyterLab
    cjm-widgets report JOURNEY.json --evidence FILE [--tags TAGS.json] [--by COLUMN] \\
        -o report.html

``--evidence FILE`` (CSV, TSV, .csv.gz, XLSX or Parquet) is either

- an **evidence table**: a file with an ``evidence_id`` column, as written by
  ``ev.frame.to_csv("evidence.csv", index=False)`` or the ``evidence`` sheet of
  ``cjm.export.to_excel`` — its tag columns (``touchpoint_id``, ``emotion``, ``labels`` …) are
  the tags; or
- a **survey** with one row per respondent and one rating column per touchpoint, each column
  named like its touchpoint (``--scale 1 5``, ``--missing 0``; the other columns are segments
  for ``--by``).

``--tags`` then applies a tags file saved with ``ev.save_tags``. Problems with the files end
the command with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cjm_widgets.evidence import Evidence
    from cjm_widgets.model import Journey

__all__ = ["find_quickstart", "lab_command", "load_evidence", "main"]

NOTEBOOK = "quickstart.ipynb"
_TEXT_COLUMNS = (
    "evidence_id",
    "document",
    "participant",
    "text",
    "speaker",
    "role",
    "item",
    "stage_id",
    "touchpoint_id",
    "coder",
    "labels",
    "source",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UsageError(Exception):
    """A problem the user can fix (missing or invalid file); shown as one line, exit 2."""


def find_quickstart() -> Path:
    """The quickstart notebook: shipped in the wheel as ``cjm_widgets/_notebooks/`` (see
    pyproject ``force-include``), or ``notebooks/`` of a source checkout (editable install).

    Usage: ``find_quickstart().read_text()``
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "_notebooks" / NOTEBOOK, package.parent / "notebooks" / NOTEBOOK):
        if candidate.is_file():
            return candidate
    raise UsageError(
        f"the quickstart notebook is not installed (looked in {package / '_notebooks'}); "
        "reinstall cjm-widgets"
    )


# ------------------------------------------------------------------------------ demo
def _demo(args: argparse.Namespace) -> int:
    from cjm_widgets.datasets import demo

    target = Path(args.dir).expanduser()
    notebook = target / NOTEBOOK
    if notebook.exists() and not args.force:
        raise UsageError(
            f"{notebook} exists already; pass --force to overwrite it or pick another folder"
        )
    source = find_quickstart()
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, notebook)
        data = demo()
        written = {**data.write_files(target), **data.write_report_inputs(target)}
    except OSError as err:
        raise UsageError(f"cannot write the demo into {target}: {err.strerror or err}") from None
    print(f"Wrote {notebook} and {len(written)} demo data files to {target}.")
    print(
        f"To write the demo report: cd {target} && cjm-widgets report demo.journey.json "
        "--evidence demo_evidence.csv --by household -o report.html"
    )
    if args.no_open:
        print(f"Open it with: cjm-widgets lab {notebook}")
        return 0
    return _launch(notebook, [], where=f"the demo files are in {target}")


# ------------------------------------------------------------------------------ lab
def _is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)  # not on Windows
    return bool(geteuid is not None and geteuid() == 0)


def lab_command(path: str | os.PathLike[str] | None, extra: Sequence[str] = ()) -> list[str]:
    """The ``jupyter lab`` command line for ``path``: with ``--allow-root`` when running as
    root (containers, cloud notebooks), where JupyterLab otherwise refuses to start.

    Usage: ``subprocess.call(lab_command("notebooks/quickstart.ipynb"))``
    """
    command = [sys.executable, "-m", "jupyter", "lab"]
    if path is not None:
        command.append(str(path))
    command += list(extra)
    if _is_root() and "--allow-root" not in command:
        command.append("--allow-root")
    return command


def _launch(path: Path | None, extra: Sequence[str], *, where: str = "") -> int:
    if not _has_module("jupyterlab"):
        hint = f" ({where})" if where else ""
        raise UsageError(f"JupyterLab is not installed: pip install 'cjm-widgets[lab]'{hint}")
    command = lab_command(path, extra)
    if "--allow-root" in command and "--allow-root" not in extra:
        print("Running as root: starting JupyterLab with --allow-root.")
    print("Starting JupyterLab (Ctrl+C stops it)…", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def _lab(args: argparse.Namespace) -> int:
    path = None
    if args.path is not None:
        path = Path(args.path).expanduser()
        if not path.exists():
            raise UsageError(f"no such notebook or folder: {path}")
    return _launch(path, args.extra)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


# ------------------------------------------------------------------------------ report
def _read_table(path: Path) -> Any:
    import pandas as pd

    name = path.name.lower()
    dtypes = dict.fromkeys(_TEXT_COLUMNS, "string")
    try:
        if name.endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(path, sheet_name=0, dtype=dtypes)
            for col in frame.columns:  # undo to_excel's guard against formulas
                if frame[col].dtype == "string" or frame[col].dtype == object:
                    frame[col] = frame[col].map(
                        lambda v: (
                            v[1:]
                            if isinstance(v, str) and v[:1] == "'" and v[1:2] in _FORMULA_START
                            else v
                        )
                    )
            return frame
        if name.endswith(".parquet"):
            return pd.read_parquet(path)
        if name.endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")):
            sep = "\t" if ".tsv" in name else ","
            return _read_csv(path, sep=sep, dtype=dtypes)
    except FileNotFoundError:
        raise UsageError(f"no such evidence file: {path}") from None
    except Exception as err:  # pandas/openpyxl raise many kinds for a broken file
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise UsageError(f"cannot read the evidence file {path}: {first}") from None
    raise UsageError(
        f"unknown evidence file type {path.name!r}: use .csv, .tsv, .csv.gz, .xlsx or .parquet"
    )


def _read_csv(path: Path, *, sep: str, dtype: dict[str, str]) -> Any:
    """A CSV/TSV as pandas reads it, except that a bare CR (``\r`` not followed by ``\n``)
    inside a text stays in the text: ``ev.frame.to_csv`` does not quote such a field, and
    pandas would otherwise end the row there. Rows then end at ``\n`` only; with ``\r\n``
    line endings the ``\r`` left at the end of each row is removed again."""
    import gzip
    import re

    import pandas as pd

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if re.search(rb"\r(?!\n)", data) is None:
        return pd.read_csv(path, sep=sep, dtype=dtype, encoding="utf-8-sig")
    frame = pd.read_csv(path, sep=sep, dtype=dtype, encoding="utf-8-sig", lineterminator="\n")
    first_line_end = data.find(b"\n")
    if first_line_end > 0 and data[first_line_end - 1 : first_line_end] == b"\r":
        frame.columns = [str(c).removesuffix("\r") for c in frame.columns]
        last = frame.columns[-1]
        values = frame[last]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            frame[last] = values.map(lambda v: v.removesuffix("\r") if isinstance(v, str) else v)
    return frame


def _same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file (also through links or ``..``)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.expanduser().resolve() == b.expanduser().resolve()


def _check_output(out: Path, inputs: dict[str, str | None]) -> None:
    """Refuse an output path that is one of the inputs (the report would overwrite it)."""
    for what, value in inputs.items():
        if value and _same_file(out, Path(value)):
            raise UsageError(
                f"the output {out} is the {what} file; the report would overwrite it. Nothing "
                "was written: give -o another path, e.g. report.html"
            )


def _labels(value: Any) -> tuple[str, ...]:
    """Labels as written by ev.frame.to_csv (a tuple repr) or to_excel ("a; b")."""
    import pandas as pd

    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return ()
    text = str(value).strip()
    if not text:
        return ()
    if text[0] in "([":
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            parsed = None
        if isinstance(parsed, list | tuple):
            return tuple(str(v) for v in parsed)
    return tuple(part.strip() for part in text.split(";") if part.strip())


def load_evidence(
    path: str | os.PathLike[str],
    journey: Journey,
    *,
    scale: tuple[float, float] = (1, 5),
    missing: Sequence[float] = (0,),
    respondent: str | None = None,
) -> Evidence:
    """An Evidence from an evidence table or a survey file (see the module docs).

    Usage: ``ev = load_evidence("evidence.csv", journey)``
    """
    import pandas as pd

    from cjm_widgets.evidence import Evidence

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such evidence file: {path}")
    frame = _read_table(path)
    if "evidence_id" in frame.columns:
        frame = frame.drop(columns=[c for c in ("touchpoint", "stage") if c in frame.columns])
        if "labels" in frame.columns:
            frame["labels"] = [_labels(v) for v in frame["labels"].astype(object)]
        for col in ("text", "document", "participant"):
            if col in frame.columns:
                frame[col] = frame[col].fillna("").astype(str)
        if "emotion" in frame.columns:
            frame["emotion"] = pd.to_numeric(frame["emotion"], errors="coerce")
        return Evidence(
            frame, meta={"reader": "evidence table", "files": [str(path)]}, journey=journey
        )
    from cjm_widgets.model._names import _fold

    by_name = {_fold(tp.name): tp.name for tp in journey.touchpoints}
    items = {c: by_name[_fold(str(c))] for c in frame.columns if _fold(str(c)) in by_name}
    if not items:
        names = ", ".join(repr(tp.name) for tp in journey.touchpoints[:8]) or "none"
        raise UsageError(
            f"{path.name} has no 'evidence_id' column (an evidence table from ev.frame.to_csv) "
            f"and none of its columns is named like a touchpoint of the journey ({names}); "
            "see cjm-widgets report --help"
        )
    codes = tuple(int(m) if float(m).is_integer() else m for m in missing)
    if respondent is not None and respondent not in frame.columns:
        raise UsageError(f"--respondent {respondent!r} is not a column of {path.name}")
    if respondent is None and "id" in frame.columns:
        respondent = "id"
    return Evidence.from_survey(
        frame, items=items, scale=scale, missing=codes, respondent=respondent, journey=journey
    )


def _report(args: argparse.Namespace) -> int:
    from cjm_widgets.export import html_report
    from cjm_widgets.model.journey import Journey

    journey_path = Path(args.journey)
    out = Path(args.output)
    _check_output(out, {"journey": args.journey, "evidence": args.evidence, "tags": args.tags})
    if not journey_path.is_file():
        raise UsageError(f"no such journey file: {journey_path}")
    journey = Journey.load(journey_path)
    ev = load_evidence(
        args.evidence,
        journey,
        scale=tuple(args.scale),
        missing=args.missing,
        respondent=args.respondent,
    )
    if args.tags:
        tags = Path(args.tags)
        if not tags.is_file():
            raise UsageError(f"no such tags file: {tags}")
        _check_tags_file(tags)
        result = ev.load_tags(tags)
        orphans = result.get("orphans") if isinstance(result, dict) else None
        if orphans:
            print(
                f"warning: {len(orphans)} tags in {tags.name} name evidence ids that are not "
                "in the evidence file; they are kept but not counted",
                file=sys.stderr,
            )
    if out.parent and not out.parent.exists():
        raise UsageError(f"the output folder {out.parent} does not exist")
    path = html_report(journey, ev, out, by=args.by, title=args.title, min_n=args.min_n)
    print(f"Wrote {path} ({path.stat().st_size / 1024:.0f} KB).")
    return 0


def _check_tags_file(path: Path) -> None:
    """Refuse a JSON file that is not a tags file (e.g. the journey given twice)."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(f"{path} is not a tags file (not JSON: {err})") from None
    if not isinstance(data, dict) or "tags" not in data:
        raise UsageError(f"{path} is not a tags file (saved by ev.save_tags): it has no 'tags'")


# ------------------------------------------------------------------------------ main
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cjm-widgets",
        description="Customer journey maps computed from research evidence.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="copy the quickstart notebook and demo data, open Lab",
        description="Copy the quickstart notebook, the demo data and the files `cjm-widgets "
        "report` needs (demo.journey.json, demo_evidence.csv) into DIR, then start JupyterLab "
        "on the notebook (with --allow-root when running as root).",
    )
    demo.add_argument(
        "dir",
        nargs="?",
        default="cjm-demo",
        metavar="DIR",
        help="folder to create (default: ./cjm-demo)",
    )
    demo.add_argument("--no-open", action="store_true", help="only copy; do not start Lab")
    demo.add_argument("--force", action="store_true", help="overwrite an existing notebook")
    demo.set_defaults(run=_demo)
    lab = sub.add_parser(
        "lab",
        help="start JupyterLab on a notebook or folder (adds --allow-root as root)",
        description="Start JupyterLab on PATH. As root (containers, cloud notebooks) it adds "
        "--allow-root, which JupyterLab needs there, and says so. Options after PATH go to "
        "jupyter lab, e.g. cjm-widgets lab notebooks --port 8899.",
    )
    lab.add_argument("path", nargs="?", metavar="PATH", help="a notebook or folder (default: .)")
    lab.add_argument(
        "extra", nargs=argparse.REMAINDER, metavar="...", help="options passed to jupyter lab"
    )
    lab.set_defaults(run=_lab)
    report = sub.add_parser(
        "report",
        help="write the offline HTML report from saved files",
        description="Write the offline HTML report. --evidence is an evidence table (with an "
        "evidence_id column, e.g. from ev.frame.to_csv) or a survey whose rating columns are "
        "named like the journey's touchpoints.",
    )
    report.add_argument("journey", metavar="JOURNEY.json", help="a journey saved by journey.save")
    report.add_argument(
        "--evidence",
        required=True,
        metavar="FILE",
        help="evidence table or survey (.csv, .tsv, .csv.gz, .xlsx, .parquet)",
    )
    report.add_argument("--tags", metavar="TAGS.json", help="tags saved by ev.save_tags")
    report.add_argument("--by", metavar="COLUMN", help="segment column (or persona) for series")
    report.add_argument("--title", help="report title (default: the journey's title)")
    report.add_argument(
        "--min-n",
        type=int,
        default=5,
        dest="min_n",
        help="fewer rows than this mark a point unsupported (default 5)",
    )
    report.add_argument(
        "--scale",
        type=float,
        nargs=2,
        default=(1, 5),
        metavar=("LOW", "HIGH"),
        help="rating scale of a survey file (default 1 5)",
    )
    report.add_argument(
        "--missing",
        type=float,
        nargs="*",
        default=[0],
        metavar="CODE",
        help="survey codes meaning 'not applicable' (default 0)",
    )
    report.add_argument(
        "--respondent",
        metavar="COLUMN",
        help="respondent id column of a survey file (default: 'id' if present, "
        "else the row number)",
    )
    report.add_argument("-o", "--output", required=True, metavar="report.html")
    report.set_defaults(run=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for a problem with the input).

    Usage: ``main(["report", "map.journey.json", "--evidence", "ev.csv", "-o", "r.html"])``
    """
    from cjm_widgets.errors import CJMError

    args = _parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (UsageError, CJMError, OSError) as err:
        text = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        if isinstance(err, OSError) and err.filename:
            text = f"{text}: {err.filename}"
        message = " ".join(text.split())
        print(f"cjm-widgets: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
