from datetime import date

import pytest

from core.errors import InvalidValue
from usage.periods import Period, add_months


def test_whole_months_and_loose_days():
    period = Period(date(2026, 1, 15), date(2026, 3, 10))
    assert period.whole_months() == (date(2026, 2, 1), date(2026, 2, 1))
    assert period.loose_days() == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]
    month = Period.month_of(date(2026, 2, 14))
    assert month == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert month.whole_months() == (date(2026, 2, 1), date(2026, 2, 1)) and month.loose_days() == []
    inside = Period(date(2026, 2, 3), date(2026, 2, 9))
    assert inside.whole_months() is None and inside.loose_days() == [(inside.start, inside.end)]


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
