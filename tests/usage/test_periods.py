from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core.errors import InvalidValue
from usage.periods import Period, add_months, month_of


def test_a_month_is_its_first_day_of_the_utc_day():
    assert month_of(date(2026, 2, 14)) == date(2026, 2, 1)
    assert month_of(datetime(2026, 2, 28, 23, tzinfo=UTC)) == date(2026, 2, 1)
    # 00:30 on 1 March in UTC+2 is still 28 February in UTC: usage, statements and
    # spend limits all count it in February.
    east = timezone(timedelta(hours=2))
    assert month_of(datetime(2026, 3, 1, 0, 30, tzinfo=east)) == date(2026, 2, 1)


def test_pieces_read_whole_months_and_the_fewest_days():
    # Jan 15 to Mar 10: January minus its 14 days before the 15th (fewer than the 17
    # inside), February whole, March's 10 days (fewer than the 21 outside).
    pieces = Period(date(2026, 1, 15), date(2026, 3, 10)).pieces()
    assert pieces.months == (date(2026, 1, 1), date(2026, 2, 1))
    assert pieces.subtracted_days == [(date(2026, 1, 1), date(2026, 1, 14))]
    assert pieces.added_days == [(date(2026, 3, 1), date(2026, 3, 10))]
    # The 1st to the 27th: the month minus 3 days.
    pieces = Period(date(2026, 11, 1), date(2026, 11, 27)).pieces()
    assert pieces.months == (date(2026, 11, 1), date(2026, 11, 1))
    assert pieces.subtracted_days == [(date(2026, 11, 28), date(2026, 11, 30))]
    month = Period.month_of(date(2026, 2, 14))
    assert month == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert month.pieces().months == (date(2026, 2, 1), date(2026, 2, 1))
    assert month.pieces().added_days == month.pieces().subtracted_days == []
    inside = Period(date(2026, 2, 3), date(2026, 2, 9)).pieces()
    assert inside.months is None and inside.added_days == [(date(2026, 2, 3), date(2026, 2, 9))]
    # Both ends of one month cut off, fewer days outside than in.
    pieces = Period(date(2026, 2, 2), date(2026, 2, 26)).pieces()
    assert pieces.subtracted_days == [
        (date(2026, 2, 1), date(2026, 2, 1)),
        (date(2026, 2, 27), date(2026, 2, 28)),
    ]


def test_add_months_keeps_the_day_or_the_months_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_at_most_thirteen_months():
    assert Period.checked(date(2025, 1, 1), date(2026, 1, 31))
    with pytest.raises(InvalidValue, match="at most 13 months"):
        Period.checked(date(2025, 1, 1), date(2026, 2, 1))
    with pytest.raises(InvalidValue, match="before the start"):
        Period.checked(date(2026, 1, 2), date(2026, 1, 1))
