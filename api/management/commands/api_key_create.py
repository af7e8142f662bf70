from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import api_key_create
from programmes.models import Programme, Role


class Command(BaseCommand):
    help = "Create an API key for a programme and a role, and print it once (only a digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Programme slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", required=True, help="Where the key is used (e.g. 'Moodle completions').")

    def handle(self, *args, **options):
        programme = Programme.objects.filter(slug=options["programme"]).first()
        if programme is None:
            slugs = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No programme with slug {options['programme']!r} (programmes: {slugs}).")
        try:
            api_key, token = api_key_create(programme=programme, role=options["role"], name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stderr.write(
            f"API key {api_key.prefix}… for {programme.slug} ({api_key.role}). Store it now: it is not shown again."
        )
        self.stdout.write(token)
