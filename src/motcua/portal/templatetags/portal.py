from django import template

from motcua.people.accounts import is_official as _is_official

register = template.Library()


@register.filter
def is_official(user) -> bool:
    """Read once per request: the menu asks on every page."""
    cached = getattr(user, "_is_official", None)
    if cached is None:
        cached = user._is_official = _is_official(user)
    return cached


@register.filter
def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
