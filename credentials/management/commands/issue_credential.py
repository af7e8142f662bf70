import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from credentials.links import award_issue_json
from credentials.management.base_url import warn_if_base_url_unset
from credentials.models import Achievement, Award
from credentials.services import Recipient, award_issue


class Command(BaseCommand):
    help = "Issue one credential. With --json, print its id and every URL (absolute, under BASE_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--achievement", required=True, help="Achievement slug (see list_achievements).")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--organisation", action="store_true", help="The recipient is an organisation.")
        parser.add_argument("--expires", help="ISO 8601 date-time; default: the achievement's validity.")
        parser.add_argument("--narrative", default="")
        parser.add_argument("--evidence-url", action="append", default=[])
        parser.add_argument("--language", default="")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        warn_if_base_url_unset(self)
        achievement = (
            Achievement.objects.select_related("issuer", "tier", "category").filter(slug=options["achievement"]).first()
        )
        if achievement is None:
            raise CommandError(f"No achievement with slug {options['achievement']!r} (see list_achievements).")
        expires = None
        if options["expires"]:
            expires = parse_datetime(options["expires"])
            if expires is None:
                raise CommandError(f"--expires {options['expires']!r} is not an ISO 8601 date-time.")
        try:
            award = award_issue(
                achievement=achievement,
                recipient=Recipient(
                    email=options["email"],
                    name=options["name"],
                    kind=Award.RecipientKind.ORGANISATION if options["organisation"] else Award.RecipientKind.PERSON,
                    expires_at=expires,
                    narrative=options["narrative"],
                    evidence=[{"url": url} for url in options["evidence_url"]],
                    language=options["language"],
                ),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        links = award_issue_json(award)
        if options["json"]:
            self.stdout.write(json.dumps(links, indent=2))
        else:
            self.stdout.write(self.style.SUCCESS(f"Issued {award.public_id}: {links['verify_url']}"))
