"""`{{ obj|in_language }}` (the active language) or `{{ obj|in_language:"fr" }}`: the object as templates read
it, its translatable fields translated with a fallback to the original; `{{ code|language_name }}`."""

from django import template
from django.conf import settings
from django.utils.translation import gettext

from .. import text

register = template.Library()


@register.filter(name="in_language")
def in_language_filter(obj, lang=None):
    return text.in_language(obj, lang)


@register.filter
def language_name(code):
    """The language's name in the active language ("French", « français »)."""
    name = dict(settings.LANGUAGES).get(text.language_code(code))
    return gettext(name) if name else code
