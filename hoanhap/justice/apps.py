from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "hoanhap.justice"
    label = "justice"
    verbose_name = _("Judgments and legal rules")

    def ready(self) -> None:
        from hoanhap.audit.registry import actions
        from hoanhap.justice.selectors import released_in_year
        from hoanhap.people.selectors import register_release_year_filter

        register_release_year_filter(released_in_year)  # the people list filters by year of release
        actions.register("justice.judgment.viewed", _("viewed a person's judgment"))
        actions.register("justice.release.viewed", _("viewed a person's release"))
