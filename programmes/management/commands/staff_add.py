from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme, Role
from programmes.services import staff_role_set, staff_user_ensure


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Create or update one member of a programme's staff: the account of --email (created when missing, is_staff "
        "with no global permission) gets --role in --programme."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--programme", required=True, help="the programme's slug (manage.py list_programmes)")
        parser.add_argument("--role", required=True, help="manager, issuer or viewer")
        parser.add_argument("--password", default=None, help="set this password (new accounts without one "
                            "sign in after a password reset)")  # fmt: skip

    def handle(self, *args, email, programme, role, password, **options):
        role = (role or "").strip().lower()
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}: use one of {', '.join(Role.values)}.", returncode=2)
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(
                f"No programme with the slug {programme!r} (manage.py list_programmes shows them).", returncode=2
            )
        try:
            user, created = staff_user_ensure(email=email, password=password)
            previous = found.staff_roles.filter(user=user).values_list("role", flat=True).first()
            staff_role_set(programme=found, user=user, role=role)  # the system acts (actor=None)
        except ValidationError as exc:
            raise CommandError(_message(exc), returncode=2) from exc
        account = "Created the account" if created else "Updated the account"
        if previous is None:
            change = f"now {role} of {found.slug}"
        elif previous == role:
            change = f"already {role} of {found.slug}"
        else:
            change = f"{previous} → {role} of {found.slug}"
        password_note = " (password set)" if password else ""
        self.stdout.write(self.style.SUCCESS(f"{account} {user.email}{password_note}: {change}."))
