"""The `Translatable` mixin: a `translations` JSON field and the names of the fields it may translate."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import text


def translations_errors(value, fields: tuple[str, ...], *, original: str = "") -> list[str]:
    """What is wrong with a `translations` value: an object keyed by a known language code (not the original
    language), each entry an object of translatable field names to text."""
    if not isinstance(value, dict):
        return [str(_('Translations must be an object keyed by language code, like {"fr": {…}}.'))]
    errors = []
    languages = dict(settings.LANGUAGES)
    for lang, entry in value.items():
        if lang not in languages:
            errors.append(str(_("“%(lang)s” is not one of the site's languages.") % {"lang": str(lang)[:20]}))
        elif lang == original:
            errors.append(str(_("“%(lang)s” is the original language: edit the fields themselves.") % {"lang": lang}))
        elif not isinstance(entry, dict):
            errors.append(str(_("The “%(lang)s” translation must be an object of fields.") % {"lang": lang}))
        else:
            unknown = [name for name in entry if name not in fields]
            if unknown:
                errors.append(
                    str(
                        _("The “%(lang)s” translation has fields that cannot be translated: %(names)s.")
                        % {"lang": lang, "names": ", ".join(str(n)[:40] for n in unknown)}
                    )
                )
            if any(not isinstance(v, str) for v in entry.values()):
                errors.append(str(_("The “%(lang)s” translation must hold text only.") % {"lang": lang}))
    return errors


class Translatable(models.Model):
    """Content that staff may translate: `translations = {"fr": {"name": "…", "description": "…"}, "es": …}`,
    only the `translatable_fields`; anything missing falls back to the original text (`multilingual.text`)."""

    translatable_fields: tuple[str, ...] = ()

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Translated texts by language: {"fr": {"name": "…", "description": "…"}, "es": {…}}.'),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.translations is None:
            self.translations = {}
        else:
            self.translations = _without_empty(self.translations)
        errors = translations_errors(self.translations, self.translatable_fields, original=text.original_language(self))
        if errors:
            raise ValidationError({"translations": errors})

    def translated(self, field: str, lang: str | None = None) -> str:
        return text.translated(self, field, lang)

    def in_language(self, lang: str | None = None):
        return text.in_language(self, lang)


def _without_empty(value):
    """Blank texts and empty languages dropped (an empty text would mean "no translation" anyway)."""
    if not isinstance(value, dict):
        return value
    cleaned = {}
    for lang, entry in value.items():
        if isinstance(entry, dict):
            entry = {
                k: v.strip() if isinstance(v, str) else v
                for k, v in entry.items()
                if not (isinstance(v, str) and not v.strip())
            }
            if not entry:
                continue
        cleaned[lang] = entry
    return cleaned
