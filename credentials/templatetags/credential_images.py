"""{% achievement_image_url achievement %}: the content-addressed URL of an achievement's image."""

from django import template
from django.urls import reverse

from ..artifacts import images

register = template.Library()


@register.simple_tag
def achievement_image_url(achievement) -> str:
    digest = images.achievement_png_digest(achievement)
    return reverse("credentials:achievement_image_at", kwargs={"slug": achievement.slug, "digest": digest})
