"""The analyst's dataset (``tmvspider compact``): one row per article, in the format its file
name says.

- ``.jsonl``: the feeds' own lines (also what ``-o -`` writes to stdout);
- ``.parquet``: typed (pyarrow, the ``analysis`` extra): timestamps with their time zone (the
  instant is kept; ``published_at``/``modified_at`` read back in Europe/Paris, ``crawled_at``
  in UTC), lists as ``list<string>``, ``image`` and ``interview`` as structs;
- ``.csv``: one column per field, lists and objects as JSON text, null as an empty cell.

Every file is written as ``<name>.part`` and renamed when complete (feedstorage.replaced).
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

from .feedstorage import replaced
from .items import FIELDS
from .processors import parse_timestamp

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}
TIMESTAMPS = ("published_at", "modified_at", "crawled_at")
STRUCTURED = ("categories", "tags", "image", "interview", "related")  # JSON text in CSV


class FormatError(Exception):
    """The file cannot be written in the format asked for: one line to show."""


def format_of(target: str) -> str:
    if target == "-":
        return "jsonl"
    suffix = Path(target).suffix.lower()
    if suffix not in FORMATS:
        raise FormatError(
            f"cannot tell the format of {target!r} from its extension: name it "
            f"{', '.join(FORMATS)} (or -o - for JSON Lines on stdout)"
        )
    return FORMATS[suffix]


def parquet_schema():
    import pyarrow as pa

    text = pa.string()
    paris, utc = pa.timestamp("s", tz="Europe/Paris"), pa.timestamp("us", tz="UTC")
    types = {
        "url": text,
        "post_id": pa.int64(),
        "title": text,
        "lead": text,
        "author": text,
        "published_at": paris,
        "modified_at": paris,
        "categories": pa.list_(text),
        "tags": pa.list_(text),
        "image": pa.struct([("url", text), ("caption", text), ("credit", text)]),
        "body": text,
        "interview": pa.struct(
            [("interviewer", text), ("qa", pa.list_(pa.struct([("question", text), ("answer", text)])))]
        ),
        "related": pa.list_(text),
        "crawled_at": utc,
    }
    return pa.schema([(name, types[name]) for name in FIELDS])


def instant(value: str | None) -> datetime | None:
    """An ISO 8601 string of the item as an aware datetime (the same instant)."""
    if value is None:
        return None
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    return datetime.fromisoformat(value)


def write(rows: list[dict], target: str) -> None:
    kind = format_of(target)
    if target == "-":
        _jsonl(rows, sys.stdout)
        sys.stdout.flush()
        return
    if kind == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise FormatError("writing Parquet needs pyarrow: pip install 'tmvspider[analysis]'") from None
        columns = {name: [row.get(name) for row in rows] for name in FIELDS}
        for name in TIMESTAMPS:
            columns[name] = [instant(value) for value in columns[name]]
        table = pa.Table.from_pydict(columns, schema=parquet_schema())
    with replaced(Path(target)) as part:
        if kind == "parquet":
            pq.write_table(table, part)
            return
        with open(part, "w", encoding="utf-8", newline="") as out:
            if kind == "jsonl":
                _jsonl(rows, out)
            else:
                _csv(rows, out)


def _jsonl(rows, out) -> None:
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _csv(rows, out) -> None:
    writer = csv.DictWriter(out, fieldnames=FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                name: json.dumps(row.get(name), ensure_ascii=False) if name in STRUCTURED else row.get(name)
                for name in FIELDS
            }
        )


def since(value: str) -> datetime:
    """``--since``: a date (midnight, Paris time) or an ISO 8601 instant (Paris time if naive)."""
    text = (value or "").strip()
    if len(text) == 10:  # a date alone: from its first second
        text += "T00:00"
    stamp = parse_timestamp(text) if text[:4].isdigit() else None
    if stamp is None:  # what was typed, not what it was made into
        raise FormatError(f"--since takes a date such as 2024-01-31 (or 2024-01-31T08:00), not {value!r}")
    return stamp.at
