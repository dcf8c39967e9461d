from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "hoanhap.justice"
    label = "justice"
    verbose_name = _("Judgments and legal rules")
