"""Editing translations in a form: one text field per translatable field and language ("name in French"),
packed into the model's `translations` on save. Used by the staff console and the admin."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import text


def translation_field_name(field: str, lang: str) -> str:
    return f"{field}__{lang}"


class TranslationsFormMixin:
    """For a ModelForm of a `Translatable` model: adds `<field>__<lang>` fields for every language other than
    the instance's original language, filled from and saved into `instance.translations`. A form that does
    not list "translations" in its fields still saves them (they are set on the instance in `clean`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = {f.name: f for f in self._meta.model._meta.get_fields() if hasattr(f, "verbose_name")}
        self.translation_languages = [
            (code, name) for code, name in settings.LANGUAGES if code != text.original_language(self.instance)
        ]
        current = self.instance.translations or {}
        self.translation_field_names = []
        for code, language in self.translation_languages:
            for field in self._meta.model.translatable_fields:
                model_field = model_fields[field]
                long_text = model_field.get_internal_type() == "TextField"
                widget = forms.Textarea(attrs={"rows": 3}) if long_text else forms.TextInput
                name = translation_field_name(field, code)
                self.fields[name] = forms.CharField(
                    label=_("%(field)s (%(language)s)") % {"field": model_field.verbose_name, "language": language},
                    required=False,
                    max_length=getattr(model_field, "max_length", None),
                    widget=widget,
                    initial=(current.get(code) or {}).get(field, ""),
                )
                self.translation_field_names.append(name)
        if "translations" in self.fields:
            del self.fields["translations"]

    def translation_fields(self):
        return [self[name] for name in self.translation_field_names]

    def clean(self):
        cleaned = super().clean()
        translations = {}
        # The original language may change in the same form (an achievement's language): no translation into it.
        original = text.language_code(cleaned.get("language")) or text.original_language(self.instance)
        for code, _language in self.translation_languages:
            if code == original:
                continue
            entry = {}
            for field in self._meta.model.translatable_fields:
                value = (cleaned.get(translation_field_name(field, code)) or "").strip()
                if value:
                    entry[field] = value
            if entry:
                translations[code] = entry
        self.instance.translations = translations
        return cleaned
