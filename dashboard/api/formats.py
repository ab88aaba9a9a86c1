"""Writers for the download formats, fed by Arrow record batches (streaming where possible).

- ``csv``: RFC 4180 — UTF-8, ``,`` separator, ``.`` decimal, CRLF, header row, fields quoted only
  when they contain the separator, a quote or a line break; NULL (suppressed) is an empty field.
- ``csv-excel``: the same for French Excel — UTF-8 BOM, ``;`` separator, ``,`` decimal.
- ``json``: an array of objects (column → value, NULL → ``null``), streamed batch by batch.
- ``parquet``: one file with the release facts in the schema metadata and each column's
  description in its field metadata; built in memory (callers bound its size).

CSV text is built column-wise with Arrow compute kernels (numbers in shortest round-trip form),
so a large table streams at C speed with memory bounded by one batch.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

EOL = "\r\n"


@dataclass(frozen=True)
class Format:
    """A download format: media type, file extension and label for links."""

    name: str
    media_type: str
    extension: str
    label: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("csv", "text/csv; charset=utf-8; header=present", "csv", "CSV"),
    Format("csv-excel", "text/csv; charset=utf-8; header=present", "csv", "CSV pour Excel (fr)"),
    Format("parquet", "application/vnd.apache.parquet", "parquet", "Parquet"),
    Format("json", "application/json", "json", "JSON"),
)}


@dataclass(frozen=True)
class CsvDialect:
    """Separator, decimal mark and byte-order mark of a CSV flavour."""

    delimiter: str
    decimal: str
    bom: bool

    @property
    def needs_quotes(self) -> str:
        return f'["{re.escape(self.delimiter)}\r\n]'


RFC4180 = CsvDialect(",", ".", bom=False)
EXCEL_FR = CsvDialect(";", ",", bom=True)
DIALECTS = {"csv": RFC4180, "csv-excel": EXCEL_FR}


def _text(column: pa.Array | pa.ChunkedArray, dialect: CsvDialect) -> pa.Array:
    """One column rendered as CSV fields (NULL → empty)."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        quoted = pc.binary_join_element_wise(
            "", pc.replace_substring(column, '"', '""'), "", '"')
        text = pc.if_else(pc.match_substring_regex(column, dialect.needs_quotes), quoted, column)
    elif pa.types.is_timestamp(kind):
        text = pc.strftime(column, "%Y-%m-%dT%H:%M:%S")
    else:
        text = pc.cast(column, pa.string())
        if pa.types.is_floating(kind) and dialect.decimal != ".":
            text = pc.replace_substring(text, ".", dialect.decimal)
    return pc.fill_null(text, "")


def csv_header(schema: pa.Schema, dialect: CsvDialect) -> bytes:
    """Header line (with the BOM first when the dialect asks for one)."""
    line = dialect.delimiter.join(schema.names) + EOL
    return ("\ufeff" if dialect.bom else "").encode() + line.encode()


def csv_lines(batch: pa.RecordBatch | pa.Table, dialect: CsvDialect) -> pa.Array:
    """Each row as one CSV line (ending with CRLF), as a string array."""
    fields = [_text(col, dialect) for col in batch.columns]
    lines = pc.binary_join_element_wise(*fields, dialect.delimiter)
    return pc.binary_join_element_wise(lines, "", EOL)


def csv_rows(batch: pa.RecordBatch, dialect: CsvDialect) -> bytes:
    """The rows of one batch as CSV bytes (each line ending with CRLF)."""
    if batch.num_rows == 0:
        return b""
    lines = csv_lines(batch, dialect)
    one = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines),
                         "")
    return one[0].as_buffer().to_pybytes()


def csv_chunks(schema: pa.Schema, batches: Iterable[pa.RecordBatch],
               dialect: CsvDialect) -> Iterator[bytes]:
    """Header then one chunk per batch."""
    yield csv_header(schema, dialect)
    for batch in batches:
        chunk = csv_rows(batch, dialect)
        if chunk:
            yield chunk


def json_chunks(batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    """A JSON array of row objects, one chunk per batch."""
    yield b"["
    first = True
    for batch in batches:
        if batch.num_rows == 0:
            continue
        body = orjson.dumps(batch.to_pylist())[1:-1]
        yield body if first else b"," + body
        first = False
    yield b"]"


def write_parquet(sink: str | io.IOBase, schema: pa.Schema, batches: Iterable[pa.RecordBatch],
                  metadata: dict[str, str]) -> None:
    """Write batches to a Parquet file whose schema carries ``metadata``."""
    full = schema.with_metadata({**(schema.metadata or {}), **metadata})
    with pq.ParquetWriter(sink, full, compression="zstd") as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch)


def parquet_bytes(schema: pa.Schema, batches: Iterable[pa.RecordBatch],
                  metadata: dict[str, str]) -> bytes:
    """A whole Parquet file in memory (callers bound the number of rows)."""
    buffer = io.BytesIO()
    write_parquet(buffer, schema, batches, metadata)
    return buffer.getvalue()


def encode(fmt: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch],
           metadata: dict[str, str]) -> Iterator[bytes]:
    """The chunks of a response body in format ``fmt``."""
    if fmt in DIALECTS:
        return csv_chunks(schema, batches, DIALECTS[fmt])
    if fmt == "json":
        return json_chunks(batches)
    if fmt == "parquet":
        return iter([parquet_bytes(schema, batches, metadata)])
    raise ValueError(f"unknown format: {fmt}")
