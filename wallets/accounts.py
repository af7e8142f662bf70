"""The learner sign-up page (allauth's), taking one sign-up per address at a time; the email confirmation page,
which signs a new learner in from any browser (ConfirmEmailView below).

allauth checks that an address is free, then creates the account and sends the confirmation email. Two sign-ups
for one address at the same moment (a double click, two tabs) would both find it free and make two accounts.
Here the second waits until the first has finished, then finds the address taken and is answered as allauth
answers any sign-up for a taken address (the same "check your email" page, no second account, and, within
allauth's confirmation cooldown, no second email). The lock lives in the cache: Redis in production, shared by
every process; the embedded default's local memory cache is shared by its threads (one process).
"""

import hashlib
import secrets
import time
from contextlib import contextmanager

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import redirect

WAIT_SECONDS = 30  # longer than any sign-up takes (it sends one email)
LOCK_SECONDS = 60  # a lock left by a process that died expires


@contextmanager
def one_at_a_time(key: str, *, wait: float = WAIT_SECONDS, expires: int = LOCK_SECONDS):
    """Hold the cache lock `key` for the block, waiting up to `wait` seconds for it. After that the block runs
    anyway (the lock's holder is stuck or gone; the database's own checks still apply)."""
    mine = secrets.token_hex(8)
    deadline = time.monotonic() + wait
    delay = 0.01
    while not cache.add(key, mine, expires) and time.monotonic() < deadline:
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
    try:
        yield
    finally:
        if cache.get(key) == mine:
            cache.delete(key)


class SignupView(AllauthSignupView):
    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip().lower()
        key = "signup:" + hashlib.sha256(email.encode()).hexdigest()
        with one_at_a_time(key):
            return super().post(request, *args, **kwargs)


signup = SignupView.as_view()


class ConfirmEmailView(AllauthConfirmEmailView):
    """allauth's email confirmation, which also signs the new learner in when the link is opened in another
    browser than the sign-up (a phone's mail app, a second device): allauth signs in on confirmation only
    within the sign-up's own session.

    Only a first sign-in: the address is the primary address of an active account that has never signed in
    (the sign-up confirmation), no staff account, and the link is at most LOGIN_ON_EMAIL_CONFIRMATION_HOURS old.
    A link works once (allauth's HMAC confirmations refuse an address already verified), as a claim link does.
    Anything else is confirmed as allauth does, and the learner signs in with the password."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        confirmation = getattr(self, "object", None)
        if self.request.user.is_authenticated or confirmation is None:
            return response
        address = EmailAddress.objects.select_related("user").filter(pk=confirmation.email_address.pk).first()
        if address is None or not _may_sign_in_on_confirmation(address, self.kwargs.get("key", "")):
            return response
        get_adapter(self.request).login(self.request, address.user)
        return redirect(settings.LOGIN_REDIRECT_URL)


def _may_sign_in_on_confirmation(address, key: str) -> bool:
    hours = getattr(settings, "LOGIN_ON_EMAIL_CONFIRMATION_HOURS", 0)
    user = address.user
    if not hours or not address.verified or not address.primary:
        return False
    if not user.is_active or user.is_staff or user.is_superuser or user.last_login is not None:
        return False
    try:
        signing.loads(key, max_age=hours * 3600, salt=allauth_settings.SALT)
    except signing.BadSignature:  # SignatureExpired included; a database key (not HMAC) never signs in
        return False
    return True


confirm_email = ConfirmEmailView.as_view()
