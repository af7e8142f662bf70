"""The learner sign-up page (allauth's), taking one sign-up per address at a time.

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

from allauth.account.views import SignupView as AllauthSignupView
from django.core.cache import cache

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
