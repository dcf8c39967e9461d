from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "hoanhap.intake"
    label = "intake"
    verbose_name = _("Intake and management")

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from hoanhap.audit.registry import actions
        from hoanhap.intake import calendar
        from hoanhap.intake.models import CalendarDay

        def _calendar_changed(sender, **kwargs):
            calendar.clear_cache()
            transaction.on_commit(calendar.clear_cache)

        post_save.connect(
            _calendar_changed, sender=CalendarDay, dispatch_uid="intake_calendar_saved", weak=False
        )
        post_delete.connect(
            _calendar_changed, sender=CalendarDay, dispatch_uid="intake_calendar_deleted", weak=False
        )

        for code, message in [
            ("intake.notice.received", _("filed a release notice")),
            ("intake.notice.verified", _("recorded the residence verification of a release notice")),
            ("intake.person.released", _("confirmed a release")),
            ("intake.person.reported", _("recorded a person's reporting at the commune")),
            ("intake.person.entered_management", _("brought a person under management")),
            ("intake.person.classified", _("classified a person")),
            ("intake.transfer.sent", _("sent a transfer to another commune")),
            ("intake.transfer.confirmed", _("confirmed a transfer")),
            ("intake.transfer.returned", _("returned a transfer")),
            ("intake.transfer.escalated", _("escalated an unconfirmed transfer")),
            ("intake.person.whereabouts_unknown", _("marked a person's whereabouts unknown")),
            ("intake.person.found", _("marked a person as found again")),
            ("intake.person.management_ended", _("ended a person's management")),
            ("intake.document.printed", _("printed an intake document")),
        ]:
            actions.register(code, message)
