"""In which language an award's texts are: the recipient's when the achievement is fully translated into it,
else the achievement's own language (multilingual.text.content_language). Once signed, the credential says
it (`credentialSubject.achievement.inLanguage`), and everything made from the award later (the 2.0 badge
class it links, its images, its PDF) follows the signed credential rather than today's translations."""

from django.utils.translation import gettext_lazy as _

from multilingual.text import active_language, content_language, language_code, original_language

from .links import absolute


def signed_language(award) -> str:
    """The language recorded in the award's signed credential ("" when none is recorded)."""
    credential = award.credential if isinstance(award.credential, dict) else {}
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    value = achievement.get("inLanguage") if isinstance(achievement, dict) else None
    return language_code(value) if isinstance(value, str) else ""


def award_language(award) -> str:
    """The language of the award's texts: the signed credential's, or (before signing) the recipient's when
    the achievement is fully translated into it, else the achievement's."""
    return signed_language(award) or content_language(award.achievement, award.recipient_language)


def with_language(url: str, achievement, lang: str) -> str:
    """`url` of a per-achievement document (the 2.0 badge class, the image) in `lang`: `?lang=fr` unless it
    is the achievement's own language (the plain URL, as before translations existed)."""
    code = language_code(lang)
    if not code or code == original_language(achievement):
        return url
    return f"{url}?lang={code}"


def achievement_image_url(achievement, lang: str = "") -> str:
    return with_language(absolute("achievement_image", slug=achievement.slug), achievement, lang)


def ob2_badge_class_url(achievement, lang: str = "") -> str:
    return with_language(absolute("ob2_badge_class", slug=achievement.slug), achievement, lang)


def requested_language(request, achievement) -> str:
    """The `lang` query parameter of a per-achievement document, if the achievement has that translation
    (complete), else its own language: an unknown or partial language gives the original document."""
    return content_language(achievement, request.GET.get("lang", ""))


# One sentence per language (not "is in %(language)s"): each language writes its own name differently.
SIGNED_IN = {
    "en": _("The signed credential is in English."),
    "fr": _("The signed credential is in French."),
    "es": _("The signed credential is in Spanish."),
}


def signed_language_note(award) -> str:
    """ "The signed credential is in French." for the verification page ("" for a language not listed)."""
    return str(SIGNED_IN.get(award_language(award), ""))


def visitor_image_language(achievement) -> str:
    """The `lang` of the badge drawing for the visitor's language: "" (the plain image) unless the achievement
    is fully translated into it."""
    lang = content_language(achievement, active_language())
    return "" if lang == original_language(achievement) else lang
