"""The evaluation export: one row per answer, pseudonymised.

No names, no Telegram ids and no free text: a participant is "P07", and only
numbers (0-10 items, WHO-5 on 0-100) and fixed categories (done / partly /
not_yet, curative-factor keys) are written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

HEADER = ("participant", "kind", "meeting", "question", "value", "date")


@dataclass(frozen=True)
class ExportRow:
    participant: str
    kind: str
    meeting: int | None
    question: str
    value: str
    date: str


def to_csv(rows: list[ExportRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            (
                row.participant,
                row.kind,
                "" if row.meeting is None else row.meeting,
                row.question,
                row.value,
                row.date,
            )
        )
    # A BOM so spreadsheet programs open it as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")
