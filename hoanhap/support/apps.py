from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "hoanhap.support"
    label = "support"
    verbose_name = _("Support given")

    def ready(self) -> None:
        from hoanhap.audit.registry import actions
        from hoanhap.intake import worklist
        from hoanhap.people import panels
        from hoanhap.support import panels as support_panels
        from hoanhap.support import worklist as support_worklist

        panels.register(support_panels.person_panel)
        worklist.register_sections(support_worklist.sections)
        for code, message in [
            ("support.referral.made", _("referred a person to the policy bank")),
            ("support.referral.decided", _("recorded the policy bank's decision on a referral")),
            ("support.form01.generated", _("prepared a Form 01 list")),
            ("support.form01.certified", _("certified a Form 01 list")),
            ("support.form01list.viewed", _("printed a Form 01 list")),
            ("support.supportevidence.viewed", _("opened the evidence of a support action")),
        ]:
            actions.register(code, message)
