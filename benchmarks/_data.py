"""The benchmarks' data: the real airline survey when present, else generated data of its shape.

Usage::

    path, what = airline_csv()   # a .csv.gz path (real, or generated once into a temp folder)
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

FILE = "airline_passenger_satisfaction_train.csv.gz"
ROWS = 103_904  # respondents in the real file: 14 items each → 1,454,656 evidence rows


def data_dir() -> Path:
    """``$CJM_DATA_DIR``, else ``../shared/data`` beside the repository."""
    env = os.environ.get("CJM_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "data"


def generated_frame(rows: int = ROWS, seed: int = 1) -> pd.DataFrame:
    """A frame with the airline survey's columns: the 14 items rated 0–5 (0 = not applicable),
    id, Class, Type of Travel, Customer Type, Gender, Age and a satisfaction label."""
    from cjm_widgets.datasets import AIRLINE_ITEMS

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"Unnamed: 0": np.arange(rows), "id": rng.permutation(rows) + 1})
    frame["Gender"] = rng.choice(["Female", "Male"], rows)
    frame["Customer Type"] = rng.choice(["Loyal Customer", "disloyal Customer"], rows)
    frame["Age"] = rng.integers(7, 86, rows)
    frame["Type of Travel"] = rng.choice(["Business travel", "Personal Travel"], rows)
    frame["Class"] = rng.choice(["Business", "Eco", "Eco Plus"], rows, p=[0.48, 0.45, 0.07])
    frame["Flight Distance"] = rng.integers(31, 5000, rows)
    for item in AIRLINE_ITEMS:
        frame[item] = rng.choice(6, rows, p=[0.03, 0.12, 0.18, 0.25, 0.25, 0.17])
    frame["satisfaction"] = rng.choice(["neutral or dissatisfied", "satisfied"], rows)
    return frame


def airline_csv() -> tuple[Path, str]:
    """The real survey file, or a generated file of the same shape (written once per run)."""
    path = data_dir() / FILE
    if path.exists():
        return path, f"real airline survey ({path.name})"
    folder = Path(tempfile.mkdtemp(prefix="cjm-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    made = folder / FILE
    generated_frame().to_csv(made, index=False, compression="gzip")
    return made, f"generated data of the airline survey's shape ({ROWS:,} rows; real file absent)"
