"""The default price list, which every account without its own pays (operators change
it with `set_prices default …` or in the admin). Values as they were when this was
written; billing.prices.DEFAULT_PRICES is used while no default list is stored."""

from decimal import Decimal

from django.db import migrations

PRICES = {
    "sms.outbound": Decimal("0.045"),
    "sms.inbound": Decimal("0.005"),
    "voice.minutes": Decimal("0.012"),
    "verification.requests": Decimal("0.05"),
    "api.requests": Decimal("0.0001"),
}


def create(apps, schema_editor):
    PriceList = apps.get_model("billing", "PriceList")
    Price = apps.get_model("billing", "Price")
    if PriceList.objects.filter(is_default=True).exists():
        return
    default = PriceList.objects.create(is_default=True, currency="EUR")
    Price.objects.bulk_create(
        Price(price_list=default, metric=metric, unit_price=price) for metric, price in PRICES.items()
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
