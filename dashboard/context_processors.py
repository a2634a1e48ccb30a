from django.conf import settings


def product_rules(request):
    """Numbers the page texts quote, from the settings that enforce them."""
    return {
        "restore_days": settings.SUBPROJECT_RESTORE_DAYS,
        "access_keys_limit": settings.ACCESS_KEYS_PER_PROJECT,
    }


def request_id(request):
    """The request's ID (core.request_log), shown on error pages to quote to support."""
    return {"request_id": getattr(request, "request_id", "")}
