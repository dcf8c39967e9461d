"""Sections that other apps add to the person page (case work, support, …) without people knowing them.

An app registers ``provider(request, person) -> Panel | None`` in its ``AppConfig.ready``; the person
page renders the panels in the order given. A provider decides itself what the reader may see (it
returns None to show nothing) and must read a bounded number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[[Any, Any], Panel | None]
_providers: list[PanelProvider] = []


def register(provider: PanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(request: Any, person: Any) -> list[Panel]:
    panels = [panel for provider in _providers if (panel := provider(request, person)) is not None]
    return sorted(panels, key=lambda p: p.order)
