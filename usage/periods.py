"""Periods of usage: ranges of UTC days, at most MAX_MONTHS long.

Days are UTC days everywhere (records are on UTC hours, and bills are by UTC month), so
"this month" is the same for every viewer whatever their time zone.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import InvalidValue

MAX_MONTHS = 13
EARLIEST = date(2000, 1, 1)
LATEST = date(9000, 12, 31)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or the month's last day, if it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls(day.replace(day=1), month_end(day))

    @classmethod
    def checked(cls, start: date, end: date, *, fields=("start", "end")) -> "Period":
        """The period from `start` to `end`, or InvalidValue naming the field at fault."""
        for value, field in zip((start, end), fields, strict=True):
            if not EARLIEST <= value <= LATEST:
                raise InvalidValue(
                    f"must be a date from {EARLIEST} to {LATEST}, not {value}.", field=field
                )
        if end < start:
            raise InvalidValue("must not be before the start date.", field=fields[1])
        if end >= add_months(start, MAX_MONTHS):
            raise InvalidValue(
                f"the period can be at most {MAX_MONTHS} months long (it ends on or before "
                f"{add_months(start, MAX_MONTHS) - timedelta(days=1)} for this start).",
                field=fields[1],
            )
        return cls(start, end)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def whole_months(self) -> tuple[date, date] | None:
        """(first, last) first days of the calendar months lying wholly inside, or None."""
        first = self.start if self.start.day == 1 else add_months(self.start.replace(day=1), 1)
        last = self.end.replace(day=1) if self.end == month_end(self.end) else None
        if last is None:
            last = add_months(self.end.replace(day=1), -1)
        return (first, last) if first <= last else None

    def loose_days(self) -> list[tuple[date, date]]:
        """The day ranges (first, last) outside whole_months(): at most two."""
        months = self.whole_months()
        if months is None:
            return [(self.start, self.end)]
        ranges = []
        if self.start < months[0]:
            ranges.append((self.start, months[0] - timedelta(days=1)))
        after = add_months(months[1], 1)
        if after <= self.end:
            ranges.append((after, self.end))
        return ranges

    def __str__(self):
        if self == Period.month_of(self.start):
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"
