"""Read a tabular source file (CSV in UTF-8 or Latin-1 with ',' or ';', or Parquet) as text."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dashboard.sources.errors import SourceError

SOURCE_SUFFIXES = (".csv", ".csv.gz", ".parquet")


def find_source(directory: Path, name: str) -> Path:
    """The file holding source ``name`` in ``directory``: ``.csv``, ``.csv.gz`` or ``.parquet``."""
    for suffix in SOURCE_SUFFIXES:
        path = directory / f"{name}{suffix}"
        if path.exists():
            return path
    raise SourceError(f"{name}: no file {name}.csv, {name}.csv.gz or {name}.parquet in {directory}")


def _sniff(path: Path) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and header names of a CSV file from its first bytes."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 64 KiB window is still UTF-8.
        encoding = "utf-8" if exc.start > len(head) - 4 else "latin-1"
    first = head.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    names = next(csv.reader([first.strip("\r\ufeff")], delimiter=delimiter), [])
    return encoding, delimiter, names


def read_table(path: str | Path, required: list[str]) -> pd.DataFrame:
    """Read a source file as strings, with columns lower-cased and stripped.

    Raises :class:`SourceError` (one clear line) for a missing or malformed file or a missing
    required column. Every row of the file is returned: validation decides what to keep.
    """
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path.name}: file not found")
    try:
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]))
        else:
            encoding, delimiter, names = _sniff(path)
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(encoding=encoding, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(delimiter=delimiter),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                    auto_dict_encode=False, include_missing_columns=False, check_utf8=False,
                    null_values=[], quoted_strings_can_be_null=False,
                ),
            )
            table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]))
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError(f"{path.name}: cannot read the file ({message})") from None
    frame = table.to_pandas()
    frame.columns = [str(c).strip().lower().lstrip("\ufeff") for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{path.name}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}"
        )
    return frame
