"""Reads for the console pages."""

from .models import WebhookDelivery, WebhookSubscription

LOG_SIZE = 50


def subscriptions_of(programme) -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(programme=programme))


def subscription_of(programme, pk: int) -> WebhookSubscription | None:
    return WebhookSubscription.objects.filter(programme=programme, pk=pk).first()


def deliveries_of(subscription, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The newest deliveries of a subscription (the delivery log)."""
    return list(subscription.deliveries.all()[:limit])
