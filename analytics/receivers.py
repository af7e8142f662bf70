"""Counting verification-page views: a receiver of the page's context signal. It touches the cache only (no
query: the signed-in user is already read by the page's header, and a page served from the page cache has no
session to read). The signal is sent for cached pages too."""

from django.dispatch import receiver

from credentials.signals import verification_page_viewed

from . import buffer
from .models import Kind


@receiver(verification_page_viewed)
def count_verification_view(sender, award_id, request, **kwargs):
    buffer.record_request(Kind.VIEW, award_id, request)
