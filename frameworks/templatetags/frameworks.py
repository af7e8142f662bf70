from django import template

from frameworks.models import describe_rule

register = template.Library()


@register.simple_tag
def rule_text(rule):
    return describe_rule(rule)
