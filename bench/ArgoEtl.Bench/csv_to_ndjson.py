"""The plain-Python way the typical setup converts CSV to NDJSON (csv + json, no pandas), typed like our schema.

usage: csv_to_ndjson.py INPUT OUTPUT SCHEMA   (SCHEMA as name:type,... the same spec argoetl-etl takes)
"""
import csv
import json
import sys
from datetime import datetime, timezone


def _bool(text):
    return text.lower() in ("true", "t", "yes", "y", "1")


def _timestamp(text):
    # Like argoetl-etl: a time without an offset is UTC.
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


CONVERTERS = {
    "string": str,
    "int32": int,
    "int64": int,
    "double": float,
    "boolean": _bool,
    "date": str,  # already ISO yyyy-MM-dd in the generated files
    "timestamp": _timestamp,
}


def main(source, target, spec):
    columns = [part.split(":") for part in spec.split(",")]
    names = [name for name, _ in columns]
    converters = [CONVERTERS[kind] for _, kind in columns]
    with open(source, newline="", encoding="utf-8-sig") as inp, open(target, "w", encoding="utf-8") as out:
        reader = csv.reader(inp)
        next(reader)
        for row in reader:
            record = {}
            for name, convert, text in zip(names, converters, row):
                record[name] = convert(text) if text != "" else None
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
