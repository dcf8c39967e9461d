from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "hoanhap.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_delete, pre_save

        from hoanhap.audit.registry import actions
        from hoanhap.imports import capture, jobs, worklist  # noqa: F401  (jobs registers its handlers)
        from hoanhap.intake import worklist as intake_worklist

        pre_save.connect(capture.before_save, dispatch_uid="imports_capture_pre_save")
        post_save.connect(capture.after_save, dispatch_uid="imports_capture_post_save")
        for model in capture.watched_models():
            uid = f"imports_capture_pre_delete:{model._meta.label_lower}"
            pre_delete.connect(capture.before_delete, sender=model, dispatch_uid=uid)
        intake_worklist.register_sections(worklist.sections)
        for code, message in [
            ("imports.batch.uploaded", _("uploaded a file to import")),
            ("imports.batch.applied", _("imported a file")),
            ("imports.batch.undone", _("undid an import")),
        ]:
            actions.register(code, message)
