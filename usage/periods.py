"""Periods of usage: ranges of UTC days, at most MAX_MONTHS long.

Days are UTC days everywhere (records are on UTC hours, and bills are by UTC month), so
"this month" is the same for every viewer whatever their time zone.
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from core.errors import InvalidValue

MAX_MONTHS = 13
EARLIEST = date(2000, 1, 1)
LATEST = date(9000, 12, 31)


def month_of(moment: date | datetime) -> date:
    """The calendar month (its first day) of a day, or of a moment's UTC day: usage,
    statements and spend limits all name a month this way."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    return moment.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or the month's last day, if it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Pieces:
    months: tuple[date, date] | None  # first days of the first and last month added
    added_days: list[tuple[date, date]]
    subtracted_days: list[tuple[date, date]]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @classmethod
    def month_of(cls, day: date) -> "Period":
        """The whole calendar month of `day`."""
        return cls(month_of(day), month_end(day))

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

    def pieces(self) -> "Pieces":
        """The period as the fewest rows to read: a range of whole months, plus days
        around them, minus days. A month only partly inside is read as its month total
        minus the days outside when those are fewer than the days inside (the 1st to
        the 27th: the month minus 3 days, not 27 days), so no period reads more than
        about half a month of days at each end."""
        months = []  # first days of months added whole
        added, subtracted = [], []
        month = month_of(self.start)
        while month <= self.end:
            last = month_end(month)
            first_in, last_in = max(month, self.start), min(last, self.end)
            inside = (last_in - first_in).days + 1
            outside = (last - month).days + 1 - inside
            if outside == 0 or outside < inside:
                months.append(month)
                if first_in > month:
                    subtracted.append((month, first_in - timedelta(days=1)))
                if last_in < last:
                    subtracted.append((last_in + timedelta(days=1), last))
            else:
                added.append((first_in, last_in))
            month = add_months(month, 1)
        return Pieces((months[0], months[-1]) if months else None, added, subtracted)

    def __str__(self):
        if self == Period.month_of(self.start):
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"
