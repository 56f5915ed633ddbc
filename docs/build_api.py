"""Build the API reference from the docstrings with pdoc, offline, and fail on any warning.

Usage::

    python docs/build_api.py                 # writes docs/api/ (not committed)
    python docs/build_api.py -o /tmp/api     # somewhere else

Every public package is documented (the top level's ``__all__`` hides the subpackages, so
they are named here). pdoc warns about docstrings it cannot read (a bad reference, a broken
section, a module that fails to import); each warning is printed and the build exits with
status 1, so CI (``tests/test_docs.py``) fails on it. The pages load nothing from the network
(pdoc inlines its CSS and search index; math and mermaid are off).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

# cjm_widgets brings the subpackages its __all__ names (analysis, charts, export, datasets);
# the others are named here (naming one twice is itself a pdoc warning)
MODULES = [
    "cjm_widgets",
    "cjm_widgets.model",
    "cjm_widgets.evidence",
    "cjm_widgets.events",
    "cjm_widgets.widgets",
    "cjm_widgets.errors",
    "cjm_widgets.cli",
    "cjm_widgets.nbconvert",
]


def build(output: Path) -> list[str]:
    """Write the HTML reference to ``output``; return pdoc's warnings (empty when clean)."""
    import pdoc
    import pdoc.render

    pdoc.render.configure(docformat="numpy", math=False, mermaid=False, search=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pdoc.pdoc(*MODULES, output_directory=output)
        except (ValueError, ImportError) as exc:  # a module that is not there
            return [f"{type(exc).__name__}: {exc}"]
    pdoc_dir = str(Path(pdoc.__file__).parent)
    return [
        f"{w.category.__name__}: {w.message}" for w in caught if w.filename.startswith(pdoc_dir)
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: build, print warnings, exit 1 on any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(__file__).resolve().parent / "api"
    )
    args = parser.parse_args(argv)
    problems = build(args.output)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"API reference: {len(problems)} warning(s); fix the docstrings.", file=sys.stderr)
        return 1
    print(f"API reference written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
