"""What every command needs to act as someone on some area.

* ``command_actor()`` is the actor of the running command: the User named by ``--user`` (taken
  off the command line by ``hoanhap.cli``) or the system actor, which covers every area.
* ``--scope province:91`` / ``--scope commune:30682`` (current unit codes) is parsed by
  ``parse_scope`` into an ``AreaScope``; ``scope_argument`` adds it to a parser; and
  ``restrict_to`` intersects the actor's own areas with the requested one, so a narrowed actor can
  never widen its reach by asking for a bigger scope.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from hoanhap.access import policy
from hoanhap.access.policy import AreaScope
from hoanhap.audit import context


def command_actor() -> Any:
    user = context.current().resolve_user()
    return user if user is not None else policy.SYSTEM


def parse_scope(text: str) -> AreaScope:
    from hoanhap.geo.models import Commune, Province

    kind, _sep, code = (text or "").partition(":")
    if kind not in {"province", "commune"} or not code.isdigit():
        raise argparse.ArgumentTypeError(_("Scope must be province:CODE or commune:CODE, e.g. province:91."))
    number = int(code)
    if kind == "province":
        if not Province.objects.filter(code=number).exists():
            raise argparse.ArgumentTypeError(_("No current province has code {code}.").format(code=number))
        return AreaScope(provinces=frozenset({number}))
    if not Commune.objects.filter(code=number).exists():
        raise argparse.ArgumentTypeError(_("No current commune has code {code}.").format(code=number))
    return AreaScope(communes=frozenset({number}))


def scope_argument(parser, *, required: bool = True) -> None:
    parser.add_argument(
        "--scope",
        type=parse_scope,
        required=required,
        help="province:CODE or commune:CODE (current unit codes)",
    )


def check_scope_allowed(actor: Any, requested: AreaScope, cap: str) -> None:
    """Refuse a scope that reaches outside the actor's own areas for ``cap``."""
    from hoanhap.geo.models import Commune

    own = policy.scope_for(actor, cap)
    if own.everything:
        return
    for province in requested.provinces:
        if province not in own.provinces:
            raise CommandError(_("The scope is outside the areas of this user."))
    for commune in requested.communes:
        province = Commune.objects.values_list("province_id", flat=True).get(code=commune)
        if not own.covers(province=province, commune=commune):
            raise CommandError(_("The scope is outside the areas of this user."))
