"""System check: every view of ours declares how it is scoped (deny by default).

A class-based view sets ``access_capability`` (the capability it requires; its queries then go
through ``hoanhap.access.policy``) or ``public = True`` (sign-in page, language switch). A view
function is marked with ``@requires_capability`` or ``@public_view``. A new page or API endpoint
that forgets this fails ``manage.py check`` and with it the test suite.
"""

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver


def iter_views(patterns=None, prefix=""):
    """Yield (route, view callable, pattern name) for every URL pattern of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from iter_views(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback, p.name


def view_declaration(callback):
    """The access declaration of a view: ('public', None), ('capability', cap) or None."""
    target = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    if getattr(target, "public", False) or getattr(callback, "public", False):
        return ("public", None)
    cap = getattr(target, "access_capability", None) or getattr(callback, "access_capability", None)
    if cap:
        return ("capability", cap)
    return None


def is_ours(callback) -> bool:
    target = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return getattr(target, "__module__", "").startswith("hoanhap.")


@checks.register(checks.Tags.security)
def check_views_declare_access(app_configs=None, **kwargs):
    errors = []
    for route, callback, name in iter_views():
        if is_ours(callback) and view_declaration(callback) is None:
            errors.append(
                checks.Error(
                    f"View for '{route}' ({name}) declares neither access_capability nor public.",
                    hint="Use hoanhap.access.views_base mixins or decorators.",
                    id="hoanhap.E001",
                )
            )
    return errors
