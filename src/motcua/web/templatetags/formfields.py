"""A form field's problems, shown beside it and announced with it to screen readers."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def invalid(errors, name):
    """``aria-invalid`` and ``aria-describedby`` for a field that has problems."""
    if errors and errors.get(name):
        return format_html(' aria-invalid="true" aria-describedby="{}-error"', name)
    return ""


@register.simple_tag
def field_error(errors, name):
    """The field's problems, in the paragraph the field's ``aria-describedby`` names."""
    texts = errors.get(name) if errors else None
    if not texts:
        return ""
    lines = format_html_join("", "<span>{}</span> ", ((text,) for text in texts))
    return format_html('<p class="error field-error" id="{}-error">{}</p>', name, lines)
