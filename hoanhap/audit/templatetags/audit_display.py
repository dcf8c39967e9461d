"""Template filters for audit entries: the action as a sentence, changes as rows."""

from django import template

from hoanhap.audit import display

register = template.Library()


@register.filter
def action_message(event):
    """The translated sentence for the entry's action code."""
    return display.message(event)


@register.filter
def change_rows(event):
    return display.change_rows(event)


@register.filter
def record_type_label(record_type):
    return display.record_type_label(record_type) if record_type else ""
