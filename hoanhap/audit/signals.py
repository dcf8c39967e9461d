"""Generic capture of domain writes, and sign-in events.

A model opts in with ``audited = True``. Its saves and deletes each leave an audit entry with
the changed values, in the same transaction as the write: ``connect_audited_models`` (run once
from ``AuditConfig.ready``) connects the receivers to each audited model and makes its
``save_base`` atomic, so that a save made outside any transaction (a command, a shell, a task)
and its audit entry still commit or fail together. Deletes are atomic in Django already.

Bulk operations (``bulk_create``, ``QuerySet.update``) bypass signals: code that uses them on an
audited model records its own entries with ``audit.services.record``.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import router, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from hoanhap.audit import services


def audited_models() -> list[type[Model]]:
    """Concrete models that opted in with ``audited = True``."""
    return [m for m in apps.get_models() if getattr(m, "audited", False) and not m._meta.abstract]


def _remember_old_values(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not services.audited_attnames(sender, update_fields):
        instance._audit_old_values = {}
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_old_values = services.field_values(old, update_fields) if old is not None else None


def _record_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    old = None if created else instance.__dict__.pop("_audit_old_values", None)
    new = services.field_values(instance, None if created else update_fields)
    changes = services.diff(old, new, masked=services.masked_attnames(sender))
    if not created and not changes:
        return
    verb = "created" if created else "updated"
    services.record(f"{sender._meta.label_lower}.{verb}", target=instance, changes=changes)


def _record_delete(sender, instance, **kwargs):
    old = services.field_values(instance)
    changes = services.diff(old, dict.fromkeys(old), masked=services.masked_attnames(sender))
    services.record(f"{sender._meta.label_lower}.deleted", target=instance, changes=changes)


def _atomic_save_base(save_base):
    @functools.wraps(save_base)
    def wrapper(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            return save_base(self, *args, **kwargs)

    wrapper.audit_atomic = True
    return wrapper


def connect_audited_models() -> None:
    for model in audited_models():
        uid = model._meta.label_lower
        pre_save.connect(_remember_old_values, sender=model, dispatch_uid=f"audit_pre_save:{uid}")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"audit_post_save:{uid}")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"audit_post_delete:{uid}")
        if not getattr(model.save_base, "audit_atomic", False):
            model.save_base = _atomic_save_base(model.save_base)


@receiver(user_logged_in, dispatch_uid="audit_login")
def _login(sender, request, user, **kwargs):
    services.record("access.user.signed_in", target=user, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logout(sender, request, user, **kwargs):
    if user is not None:
        services.record("access.user.signed_out", target=user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    """A failed sign-in, filed under the account it names (when it exists) so its unit sees it."""
    from django.contrib.auth import get_user_model

    username = str(credentials.get("username", ""))[:150]
    account = get_user_model()._default_manager.filter(username=username).first() if username else None
    if account is not None:
        services.record("access.user.sign_in_failed", target=account, actor=None)
    else:
        services.record("access.user.sign_in_failed", target_type="access.user", target_repr=username)
