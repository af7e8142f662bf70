import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from credentials.models import Award
from credentials.openbadges.ob3 import normalize_email


class Command(BaseCommand):
    help = "List the credentials issued to one email address: id, achievement, state, issue date."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The recipient's email address.")
        parser.add_argument("--json", action="store_true", help="Print JSON (a list of objects).")

    def handle(self, *args, email, **options):
        email = normalize_email(email)
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"“{email}” is not a valid email address.") from exc
        awards = Award.objects.filter(recipient_email=email).select_related("achievement").order_by("issued_at", "id")
        rows = [
            {
                "id": award.public_id,
                "achievement": award.achievement.slug,
                "state": award.effective_state,
                "issued_at": award.issued_at.isoformat(),
            }
            for award in awards
        ]
        if options.get("json"):
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:24} {row['state']:9} {row['issued_at'][:10]} {row['achievement']}")
