from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "hoanhap.casework"
    label = "casework"
    verbose_name = _("Case work")

    def ready(self) -> None:
        from hoanhap.access import policy
        from hoanhap.audit.registry import actions
        from hoanhap.casework import panels, selectors, worklist
        from hoanhap.intake import worklist as intake_worklist
        from hoanhap.people import panels as people_panels

        # Helpers see the people assigned to them: the access policy asks this app who they are.
        policy.register_assignment_provider(selectors.assigned_person_ids)
        intake_worklist.register_sections(worklist.sections, replaces=("reviews",))
        people_panels.register(panels.case_work_panel)
        for code, message in [
            ("casework.helperassignment.assigned", _("assigned a helper to a person")),
            ("casework.helperassignment.ended", _("ended a helper assignment")),
            ("casework.need.status_changed", _("changed the status of a person's need")),
            ("casework.planaction.result_recorded", _("recorded the result of a plan action")),
            ("casework.review.recorded", _("reviewed a person's needs, plan and classification")),
        ]:
            actions.register(code, message)
