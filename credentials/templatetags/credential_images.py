"""{% achievement_image_url achievement [lang] %}: the content-addressed URL of an achievement's image (drawn in
`lang` when given: `?lang=fr`, as the achievement image view reads it)."""

from django import template
from django.urls import reverse

from ..artifacts import images

register = template.Library()


@register.simple_tag
def achievement_image_url(achievement, lang: str = "") -> str:
    digest = images.achievement_png_digest(achievement, lang or "")
    url = reverse("credentials:achievement_image_at", kwargs={"slug": achievement.slug, "digest": digest})
    return f"{url}?lang={lang}" if lang else url
