"""Counting verification-page views: a receiver of the page's context signal. It touches the cache only (no
query: the award is already loaded, the signed-in user already read by the page's header)."""

from django.dispatch import receiver

from credentials.signals import verification_page_context

from . import buffer
from .models import Kind


@receiver(verification_page_context)
def count_verification_view(sender, award, request, **kwargs):
    buffer.record_request(Kind.VIEW, award.pk, request)
    return {}
