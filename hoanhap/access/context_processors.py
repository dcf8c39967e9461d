"""Template context: which menu entries the signed-in user may see (decided by the policy)."""

from hoanhap.access import policy
from hoanhap.access.roles import Cap


def access(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}}
    return {
        "can": {
            "view_organisations": policy.has_cap(user, Cap.VIEW_ORGANISATIONS),
            "manage_accounts": policy.has_cap(user, Cap.MANAGE_ACCOUNTS),
            "view_audit": policy.has_cap(user, Cap.VIEW_AUDIT),
            "view_people": policy.has_cap(user, Cap.VIEW_PEOPLE),
            "view_assigned_people": policy.has_cap(user, Cap.VIEW_ASSIGNED),
            "view_judgments": policy.has_cap(user, Cap.VIEW_JUDGMENTS),
            "view_children": policy.has_cap(user, Cap.VIEW_CHILDREN),
            "edit_casework": policy.has_cap(user, Cap.EDIT_CASEWORK),
            "edit_people": policy.has_cap(user, Cap.EDIT_PEOPLE),
            "send_notices": policy.has_cap(user, Cap.SEND_NOTICES),
            "manage_catalogues": policy.has_cap(user, Cap.MANAGE_CATALOGUES),
        }
    }
