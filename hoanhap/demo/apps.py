from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "hoanhap.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from hoanhap.audit.registry import actions

        actions.register("demo.step.loaded", _("loaded demo data"))
