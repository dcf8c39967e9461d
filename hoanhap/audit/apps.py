from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hoanhap.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from hoanhap.audit import db, registry, signals

        signals.connect_audited_models()  # <app>.<model>.created|updated|deleted, same transaction
        connection_created.connect(db.register_sqlite_function, dispatch_uid="audit_sqlite_gate")
        registry.register_defaults()
