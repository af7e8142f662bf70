"""The console's Webhooks pages of a programme (its managers and platform administrators). As in the rest
of the console: signed out → sign-in; no role anywhere → 403; a programme the user cannot see → 404; seen
but not managed → 403. The services check the permission again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from programmes.console import console_programme

from . import selectors, services
from .events import EVENTS
from .forms import SubscriptionForm
from .models import WebhookDelivery

PERM = services.PERM


def _managed(request, slug: str, *, post_only: bool = False):
    """(The programme of the URL, None) if the user manages it, else the console's refusal (programmes.console)."""
    return console_programme(
        request, slug, PERM, post_only=post_only, refusal=_("Only the programme's managers manage its webhooks.")
    )


def _subscription(programme, pk):
    subscription = selectors.subscription_of(programme, pk)
    if subscription is None:
        raise Http404(_("No such webhook."))
    return subscription


def _list_url(programme) -> str:
    return reverse("webhooks:list", kwargs={"programme": programme.slug})


def _apply_errors(form, exc: ValidationError) -> None:
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else None, errors)


def subscriptions(request, programme: str):
    programme, refused = _managed(request, programme)
    if refused:
        return refused
    context = {"programme": programme, "subscriptions": selectors.subscriptions_of(programme), "events": EVENTS}
    return render(request, "webhooks/subscriptions.html", context)


def subscription_new(request, programme: str):
    programme, refused = _managed(request, programme)
    if refused:
        return refused
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            subscription = services.webhook_subscription_create(
                programme=programme, url=data["url"], events=data["events"], actor=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:  # the only time the secret is shown
            return render(request, "webhooks/created.html", {"programme": programme, "subscription": subscription})
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/form.html", {"programme": programme, "form": form}, status=status)


def subscription_detail(request, programme: str, pk: int):
    programme, refused = _managed(request, programme)
    if refused:
        return refused
    subscription = _subscription(programme, pk)
    initial = {"url": subscription.url, "events": subscription.events, "is_active": subscription.is_active}
    form = SubscriptionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.webhook_subscription_update(
                    subscription=subscription,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    is_active=form.cleaned_data["is_active"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The webhook is saved."))
                return redirect("webhooks:detail", programme=programme.slug, pk=subscription.pk)
        status = 400
    context = {
        "programme": programme,
        "subscription": subscription,
        "form": form,
        "deliveries": selectors.deliveries_of(subscription),
    }
    return render(request, "webhooks/subscription.html", context, status=status)


def subscription_delete(request, programme: str, pk: int):
    programme, refused = _managed(request, programme, post_only=True)
    if refused:
        return refused
    services.webhook_subscription_delete(subscription=_subscription(programme, pk), actor=request.user)
    messages.success(request, _("The webhook is deleted."))
    return redirect(_list_url(programme))


def redeliver(request, programme: str, pk: int, delivery: int):
    programme, refused = _managed(request, programme, post_only=True)
    if refused:
        return refused
    subscription = _subscription(programme, pk)
    found = WebhookDelivery.objects.filter(subscription=subscription, pk=delivery).first()
    if found is None:
        raise Http404(_("No such delivery."))
    try:
        services.webhook_redeliver(delivery=found, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery is sent again."))
    return redirect("webhooks:detail", programme=programme.slug, pk=subscription.pk)
