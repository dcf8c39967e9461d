"""Optimistic concurrency: a write carries the version it read; a stale write is refused."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_version(instance, expected: int | None) -> None:
    """Raise ValidationError when ``instance`` changed since the caller read version ``expected``."""
    if expected is None:
        return
    current = type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is not None and int(expected) != current:
        raise ValidationError(
            _(
                "Someone else changed this record while you were editing it. Reload the page and apply your change again."
            ),
            code="stale",
        )


def bump_version(instance) -> None:
    instance.version = (instance.version or 0) + 1
