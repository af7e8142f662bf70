import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credentials.links import absolute
from credentials.management.base_url import warn_if_base_url_unset
from credentials.models import Award
from credentials.services import award_revoke


class Command(BaseCommand):
    help = "Revoke a credential by its public id, with a reason verifiers will read."

    def add_arguments(self, parser):
        parser.add_argument("id", help="The credential's public id (the end of its /c/<id>/ URL).")
        parser.add_argument("--reason", required=True)
        parser.add_argument(
            "--json", action="store_true", help='Print {"id", "state", "reason", "verify_url"} (and nothing else).'
        )

    def handle(self, *args, **options):
        warn_if_base_url_unset(self)
        award = Award.objects.filter(public_id=options["id"]).first()
        if award is None:
            raise CommandError(f"No credential with id {options['id']!r}.")
        try:
            award = award_revoke(award=award, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["json"]:
            report = {
                "id": award.public_id,
                "state": award.state,
                "reason": award.revocation_reason,
                "verify_url": absolute("verify_page", public_id=award.public_id),
            }
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self.style.SUCCESS(f"Revoked {award.public_id}."))
