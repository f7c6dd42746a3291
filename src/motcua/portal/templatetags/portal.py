from django import template

from motcua.people.accounts import is_official

register = template.Library()
register.filter("is_official", is_official)


@register.filter
def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
