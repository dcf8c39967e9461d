from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "hoanhap.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hoanhap.audit.registry import actions
        from hoanhap.people.db import repair_after_migrate

        # SQLite drops a table's triggers whenever a migration rebuilds it: restore the search index.
        post_migrate.connect(repair_after_migrate, sender=self, dispatch_uid="people_search_index")

        actions.register("people.person.merged", _("merged two person records"))
        actions.register("people.person.viewed", _("viewed a person's record"))
        actions.register("people.person.photo_changed", _("changed a person's photo"))
        actions.register("people.person.residence_changed", _("recorded a change of residence"))
