from accounts.models import Account
from billing import money, services
from core.commands import ServiceCommand

DEFAULT = "default"


class Command(ServiceCommand):
    help = (
        "Set unit prices of an account's price list, or of the default list that every "
        "account without its own pays: set_prices ACCOUNT_ID METRIC=PRICE … "
        "[--currency EUR] (ACCOUNT_ID `default` for the default list). Prices are "
        f"decimals (at most {money.PRICE_DECIMALS} decimals, not negative), per unit of "
        "the metric, in the list's currency (ISO 4217). An account's first change makes "
        "its own list from the default list's prices. Changing the currency needs a "
        "price for every metric. Closed months never change; estimates use the new "
        "prices at once. Each change is in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("account_id", help="an Account ID, or `default`")
        parser.add_argument("prices", nargs="+", metavar="METRIC=PRICE")
        parser.add_argument("--currency", help="ISO 4217 code, e.g. EUR")

    def handle(self, *args, account_id, prices, currency=None, **options):
        account = None
        if account_id != DEFAULT:
            account = self.get_or_fail(Account.objects.all(), "account", public_id=account_id)
        given = {}
        for pair in prices:
            metric, sep, price = pair.partition("=")
            if not sep:
                from django.core.management.base import CommandError

                raise CommandError(f"“{pair}”: write each price as METRIC=PRICE.")
            given[metric.strip()] = price
        sheet = services.prices_set(
            account=account, prices_given=given, currency=currency, actor=self.actor
        )
        whose = account.name if account else "the default list"
        self.stdout.write(f"Prices of {whose} ({sheet.currency}):")
        for metric, price in sorted(sheet.prices.items()):
            self.stdout.write(f"  {metric:24} {money.price_text(price)}")
