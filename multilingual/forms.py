"""Editing translations in a form: one text field per translatable field and language ("Name (French)"),
packed into the model's `translations` when the form is cleaned. Used by the staff console and the admin.

`translatable_form(FormClass)` declares the fields for every site language; an instance's original language
gets none (its own fields are the original text)."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from . import text


def translation_field_name(field: str, lang: str) -> str:
    return f"{field}__{lang}"


def translation_field_names(model, lang: str | None = None) -> list[str]:
    return [
        translation_field_name(field, code)
        for code, _name in settings.LANGUAGES
        if lang is None or code == lang
        for field in model.translatable_fields
    ]


def _form_fields(model) -> dict:
    model_fields = {field.name: field for field in model._meta.fields}
    declared = {}
    for code, language in settings.LANGUAGES:
        for field in model.translatable_fields:
            model_field = model_fields[field]
            long_text = model_field.get_internal_type() == "TextField"
            declared[translation_field_name(field, code)] = forms.CharField(
                label=_("%(field)s (%(language)s)") % {"field": model_field.verbose_name, "language": language},
                required=False,
                max_length=model_field.max_length,
                widget=forms.Textarea(attrs={"rows": 3}) if long_text else forms.TextInput,
            )
    return declared


class TranslationsFormMixin:
    """See the module. The form's model is a `multilingual.models.Translatable`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        original = text.original_language(self.instance)
        for name in translation_field_names(model, original):
            self.fields.pop(name, None)
        current = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        for code, _name in settings.LANGUAGES:
            entry = current.get(code) if isinstance(current.get(code), dict) else {}
            for field in model.translatable_fields:
                name = translation_field_name(field, code)
                if name in self.fields:
                    self.initial.setdefault(name, entry.get(field, ""))
        self.fields.pop("translations", None)

    def own_fields(self):
        """The bound fields other than the translations (to lay the translations out apart)."""
        names = set(translation_field_names(self._meta.model))
        return [self[name] for name in self.fields if name not in names]

    def translations_open(self) -> bool:
        """Whether to show the translations unfolded: some are given, or one has an error."""
        fields = self.translation_fields()
        return any(field.value() or field.errors for field in fields)

    def translation_fields(self):
        names = translation_field_names(self._meta.model)
        return [self[name] for name in names if name in self.fields]

    def clean(self):
        # Set before the form's own clean(), which may validate the instance (the admin's achievement form).
        self.instance.translations = self.packed_translations(self.cleaned_data)
        return super().clean()

    def packed_translations(self, cleaned: dict) -> dict:
        """{"fr": {"name": …}, …} from the translation fields; none into the original language, which may
        change in the same form (an achievement's `language`)."""
        original = text.language_code(cleaned.get("language")) or text.original_language(self.instance)
        translations = {}
        for code, _name in settings.LANGUAGES:
            if code == original:
                continue
            entry = {}
            for field in self._meta.model.translatable_fields:
                name = translation_field_name(field, code)
                value = (cleaned.get(name) or "").strip() if name in self.fields else ""
                if value:
                    entry[field] = value
            if entry:
                translations[code] = entry
        return translations

    def add_error(self, field, error):
        """The model's errors on `translations` (not a field of this form) shown above the form."""
        if field == "translations" and field not in self.fields:
            field = None
        if field is None:
            if isinstance(error, dict):
                error = ValidationError(error)
            if (
                hasattr(error, "error_dict")
                and "translations" in error.error_dict
                and "translations" not in self.fields
            ):
                errors = dict(error.error_dict)
                errors[NON_FIELD_ERRORS] = errors.get(NON_FIELD_ERRORS, []) + errors.pop("translations")
                error = ValidationError(errors)
        super().add_error(field, error)


def translatable_form(form_class):
    """`form_class` (a ModelForm of a Translatable model) with a field per translatable field and language."""
    model = form_class._meta.model
    attrs = {**_form_fields(model), "__module__": form_class.__module__}
    return type(form_class)(f"Translatable{form_class.__name__}", (TranslationsFormMixin, form_class), attrs)


class TranslationsAdminMixin:
    """For a ModelAdmin of a Translatable model whose `form` is a `translatable_form(…)`: the translation fields
    laid out after the others (none for the object's original language); a read-only view (no change
    permission, a published framework's part) shows the `translations` as stored."""

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name not in translation_field_names(self.model)]
        editable = obj is None or self.has_change_permission(request, obj)
        if not editable:
            return fields if "translations" in fields else [*fields, "translations"]
        original = text.original_language(obj) if obj is not None else text.language_code(settings.LANGUAGE_CODE)
        extra = [name for name in translation_field_names(self.model) if not name.endswith(f"__{original}")]
        return [name for name in fields if name != "translations"] + extra


def translatable_model_form(model):
    """A plain ModelForm of `model` (every field) with the translation fields, for an admin."""
    return translatable_form(forms.modelform_factory(model, fields="__all__"))
