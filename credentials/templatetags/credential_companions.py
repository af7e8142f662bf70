"""`{% companion_awards award as companions %}`: the companion badges issued with a certificate (one query)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def companion_awards(award):
    return selectors.award_companions(award)
