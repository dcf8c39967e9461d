"""Generic capture of domain writes, and sign-in events.

A model opts in with ``audited = True``. Its saves and deletes each leave an audit entry with
the changed values, in the same transaction as the write. Bulk operations (``bulk_create``,
``QuerySet.update``) bypass signals: code that uses them records its own entries.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from hoanhap.audit import services


def _audited(sender) -> bool:
    return getattr(sender, "audited", False)


@receiver(pre_save, dispatch_uid="audit_pre_save")
def _remember_old_values(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender) or instance.pk is None or instance._state.adding:
        return
    old = type(instance)._base_manager.filter(pk=instance.pk).first()
    instance._audit_old_values = services.field_values(old) if old is not None else None


@receiver(post_save, dispatch_uid="audit_post_save")
def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    new = services.field_values(instance)
    old = None if created else getattr(instance, "_audit_old_values", None)
    changes = services.diff(old, new)
    instance.__dict__.pop("_audit_old_values", None)
    if not created and not changes:
        return
    verb = "created" if created else "updated"
    services.record(f"{sender._meta.label_lower}.{verb}", target=instance, changes=changes)


@receiver(post_delete, dispatch_uid="audit_post_delete")
def _record_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    old = services.field_values(instance)
    services.record(
        f"{sender._meta.label_lower}.deleted", target=instance, changes={k: [v, None] for k, v in old.items()}
    )


@receiver(user_logged_in, dispatch_uid="audit_login")
def _login(sender, request, user, **kwargs):
    services.record("access.user.signed_in", target=user, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logout(sender, request, user, **kwargs):
    if user is not None:
        services.record("access.user.signed_out", target=user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    services.record(
        "access.user.sign_in_failed",
        target_type="access.user",
        target_repr=str(credentials.get("username", ""))[:150],
    )
