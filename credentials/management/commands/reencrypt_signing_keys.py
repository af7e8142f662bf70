from django.core.management.base import BaseCommand, CommandError

from credentials.keystore import SigningKeyUnreadable
from credentials.services import signing_keys_reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every issuer's private signing key with the current encryption key (the first of "
        "SIGNING_KEY_ENCRYPTION_KEYS, else the one derived from DJANGO_SECRET_KEY). Run it after rotating "
        "either; then the previous key can be removed from SIGNING_KEY_ENCRYPTION_KEYS or "
        "DJANGO_SECRET_KEY_FALLBACKS."
    )

    def handle(self, *args, **options):
        try:
            count = signing_keys_reencrypt()
        except SigningKeyUnreadable as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} signing key(s) with the current key."))
