from django import template

from frameworks.models import describe_rule
from frameworks.validators import is_http_url

register = template.Library()


@register.simple_tag
def rule_text(rule):
    return describe_rule(rule)


@register.filter
def safe_url(value) -> str:
    """The URL if it is http(s), else "": stored data from before the rule (frameworks.validators) never
    renders as a javascript: or data: link. Use as ``{% if x|safe_url %}<a href="{{ x|safe_url }}">``."""
    return value if is_http_url(value) else ""
