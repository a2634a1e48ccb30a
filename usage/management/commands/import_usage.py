import csv
import re
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from tqdm import tqdm

from core.commands import ServiceCommand
from core.errors import InvalidItems
from usage import ingest, services, storage

SHOWN_FAULTS = 20
_DIGITS = re.compile(r"[0-9]+")


class Command(ServiceCommand):
    help = (
        "Import usage records from a CSV file whose header names the columns recordId, "
        "projectId, metric, hour, quantity (any order), e.g. "
        "r-1,01K…,sms.outbound,2026-11-27T10:00:00Z,5. The records follow the rules of "
        "the internal API (known project and metric, hour on the hour and within the "
        "retention window, whole quantity; a recordId already recorded is a duplicate, "
        "counted once, or an error if its values differ). The file is read twice, "
        "streamed, with a progress bar: first every row is checked and bad rows are "
        "reported by line number; a file with bad rows is not imported at all unless "
        "--skip-invalid is given, which imports the others. Safe to run again: rows "
        "already imported are duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file (UTF-8)")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows, skip bad ones"
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="records per transaction (1000)"
        )

    def handle(self, *args, file, skip_invalid, batch_size, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file!r}.")
        if not 1 <= batch_size <= 10_000:
            raise CommandError("--batch-size must be from 1 to 10000.")
        self.path, self.batch_size = path, batch_size
        bad_lines, total = self._check()
        if bad_lines and not skip_invalid:
            raise CommandError(
                f"{len(bad_lines):,} of {total:,} rows are invalid, so nothing was imported. "
                "Fix them, or run again with --skip-invalid to import the other rows."
            )
        accepted, duplicates = self._import(bad_lines)
        skipped = f"; {len(bad_lines):,} invalid rows skipped" if bad_lines else ""
        self.stdout.write(
            f"Imported {accepted:,} records ({duplicates:,} already recorded) from "
            f"{path.name}{skipped}."
        )

    # -- reading ------------------------------------------------------------------------

    def _progress(self, description):
        stderr = self.stderr

        class Out:  # tqdm writes "\r…" updates; OutputWrapper would add newlines
            def write(self, text):
                stderr.write(text, ending="")

            def flush(self):
                stderr.flush()

            def isatty(self):
                return stderr.isatty()

        return tqdm(
            total=self.path.stat().st_size, desc=description, unit="B", unit_scale=True,
            file=Out(), disable=None, mininterval=0.5,
        )  # fmt: skip

    def _batches(self, progress):
        """Batches of (line number, record dict) from the file, streamed."""

        def lines():
            with self.path.open("rb") as raw:
                for number, data in enumerate(raw, start=1):
                    progress.update(len(data))
                    try:
                        yield data.decode("utf-8-sig" if number == 1 else "utf-8")
                    except UnicodeDecodeError:
                        raise CommandError(f"Line {number} is not UTF-8 text.") from None

        reader = csv.reader(lines())
        header = [name.strip() for name in next(reader, [])]
        if sorted(header) != sorted(ingest.FIELDS):
            raise CommandError(
                f"The header must name the columns {', '.join(ingest.FIELDS)}; it has "
                f"{', '.join(header) or 'nothing'}."
            )
        batch = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            record = dict(zip(header, row, strict=False))
            if len(row) != len(header):
                record = {"cells": f"has {len(row)} cells; the header has {len(header)}."}
            elif _DIGITS.fullmatch(record["quantity"]):
                record["quantity"] = int(record["quantity"])
            batch.append((reader.line_num, record))
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    # -- the two passes ------------------------------------------------------------------

    def _check(self):
        """Check every row (no write), reporting bad ones: (bad line numbers, rows)."""
        now = timezone.now()
        bad_lines, total = set(), 0
        with self._progress("Checking") as progress:
            for batch in self._batches(progress):
                total += len(batch)
                for line, text in self._faults(batch, now):
                    if len(bad_lines) < SHOWN_FAULTS:
                        self.stderr.write(f"Line {line}: {text}")
                    bad_lines.add(line)
        if len(bad_lines) > SHOWN_FAULTS:
            self.stderr.write(f"… {len(bad_lines):,} bad rows in all.")
        return bad_lines, total

    def _faults(self, batch, now) -> list[tuple[int, str]]:
        """(line, message) of each fault of a batch, stored records with other values
        included."""
        found = []
        for line, record in batch:
            if "cells" in record:
                found.append((line, f"the row {record['cells']}"))
        batch = [(line, record) for line, record in batch if "cells" not in record]
        checked = ingest.check([record for _, record in batch], now=now)
        for fault in checked.faults:
            found.append((batch[fault["index"]][0], f"{fault['field']}: {fault['message']}"))
        stored = storage.stored_records(r.record_id for _, r in checked.records)
        for index, record in checked.records:
            if record.record_id in stored:
                fault = ingest.conflict(index, record, stored[record.record_id])
                if fault:
                    found.append((batch[index][0], f"{fault['field']}: {fault['message']}"))
        return sorted(found)

    def _import(self, bad_lines) -> tuple[int, int]:
        accepted = duplicates = 0
        with self._progress("Importing") as progress:
            for batch in self._batches(progress):
                records = [record for line, record in batch if line not in bad_lines]
                if not records:
                    continue
                try:
                    recorded = services.usage_record(records=records, actor=self.actor)
                except InvalidItems as error:  # something changed since the check
                    kept = [line for line, _ in batch if line not in bad_lines]
                    first = error.details[0]
                    raise CommandError(
                        f"Stopped at line {kept[first['index']]}: {first['field']}: "
                        f"{first['message']} The {accepted + duplicates:,} rows before its "
                        "batch were imported; running the command again skips them as "
                        "duplicates."
                    ) from None
                accepted += recorded.accepted
                duplicates += recorded.duplicates
        return accepted, duplicates
