"""`{% claim_email_pixel award %}` in the claim emails: the 1×1 image whose loading counts an open."""

from django import template
from django.utils.html import format_html

from ..tracking import open_pixel_url

register = template.Library()


@register.simple_tag
def claim_email_pixel(award):
    if award is None or getattr(award, "pk", None) is None:
        return ""
    return format_html('<img src="{}" width="1" height="1" alt="">', open_pixel_url(award.pk))
