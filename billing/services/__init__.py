"""Every write of billing: prices, closing a month, spend limits. The admin, the
commands, the dashboard and the API all call these; refusals are core.errors' typed
errors, and each change writes its audit entry in its own transaction.

One module each: price_lists, closing (a month's statements), spend_limits. Import the
functions from here: `from billing import services`.
"""

from .closing import Closed, billing_period_close
from .price_lists import prices_set
from .spend_limits import MAX_LIMIT_QUANTITY, spend_limit_remove, spend_limit_set

__all__ = [
    "MAX_LIMIT_QUANTITY",
    "Closed",
    "billing_period_close",
    "prices_set",
    "spend_limit_remove",
    "spend_limit_set",
]
