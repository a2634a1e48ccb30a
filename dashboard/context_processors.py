from django.conf import settings


def product_rules(request):
    """Numbers the page texts quote, from the settings that enforce them."""
    return {"restore_days": settings.SUBPROJECT_RESTORE_DAYS}
