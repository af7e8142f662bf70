from django.core.management.base import BaseCommand

from frameworks.services import framework_load_defaults


class Command(BaseCommand):
    help = "Load and publish the default dual framework (tiers, categories, glossary, stacking rules). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-version", action="store_true", help="Publish the defaults as a new version even if one exists."
        )

    def handle(self, *args, new_version=False, **options):
        framework, created = framework_load_defaults(new_version=new_version)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Published framework version {framework.version}: {framework.title}"))
        else:
            self.stdout.write(f"Framework already loaded (latest version {framework.version}); nothing changed.")
