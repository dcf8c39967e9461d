"""Template filters for Vietnamese display: dates dd/mm/yyyy and money in whole đồng."""

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def vndate(value):
    """dd/mm/yyyy for a date or an aware datetime (shown in Asia/Ho_Chi_Minh)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@register.filter
def vnd(value):
    """Whole đồng with dots between thousands: 1155000000 → '1.155.000.000 đ'."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".") + " đ"


@register.filter
def minutes(value):
    """Whole minutes of a timedelta (30 for the 30-minute sign-in lockout), for sentences that say so."""
    if value is None or value == "":
        return ""
    try:
        return int(round(value.total_seconds() / 60))
    except AttributeError:
        return value
