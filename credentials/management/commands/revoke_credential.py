from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credentials.models import Award
from credentials.services import award_revoke


class Command(BaseCommand):
    help = "Revoke a credential by its public id, with a reason verifiers will read."

    def add_arguments(self, parser):
        parser.add_argument("id", help="The credential's public id (the end of its /c/<id>/ URL).")
        parser.add_argument("--reason", required=True)

    def handle(self, *args, **options):
        award = Award.objects.filter(public_id=options["id"]).first()
        if award is None:
            raise CommandError(f"No credential with id {options['id']!r}.")
        try:
            award_revoke(award=award, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Revoked {award.public_id}."))
