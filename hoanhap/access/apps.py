from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "hoanhap.access"
    label = "access"
    verbose_name = _("Organisations and accounts")

    def ready(self) -> None:
        from hoanhap.access import checks  # noqa: F401  (registers the scope system check)
