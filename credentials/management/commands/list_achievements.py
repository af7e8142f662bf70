import json

from django.core.management.base import BaseCommand

from credentials.selectors import achievements_for_listing


class Command(BaseCommand):
    help = "List the achievements that can be issued: slug, name, tier or category, publishing mode."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON (a list of objects).")

    def handle(self, *args, json_output=False, **options):
        rows = [
            {
                "slug": a.slug,
                "name": a.name,
                "tier": a.tier.code if a.tier_id else None,
                "category": a.category.code if a.category_id else None,
                "mode": a.publishing_mode,
                "eqf_level": a.eqf_level,
                "companions": [c.slug for c in a.companions.all()],
                "issuer": a.issuer.slug,
                "active": a.is_active,
            }
            for a in achievements_for_listing()
        ]
        if options.get("json"):
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            kind = f"tier:{row['tier']}" if row["tier"] else f"category:{row['category']}"
            self.stdout.write(f"{row['slug']:40} {kind:36} {row['mode']:24} {row['name']}")
