"""The one rule for web addresses that people set and Laurel later shows as links: http or https only.

A criteria page, an issuer's website, a glossary source, evidence links (issuer's or learner's), skill
alignments, the address of an imported badge: each ends up in an ``href``, where ``javascript:``,
``data:`` or ``vbscript:`` would run in the visitor's browser. Services refuse anything else with
``validate_http_url``; templates pass stored values through the ``safe_url`` filter
(``frameworks.templatetags.frameworks``), so a value stored before this rule never becomes a live link.

It lives in ``frameworks``, the lowest app that needs it (GlossaryTerm.source_url): ``credentials``,
``wallets`` and ``events`` may import frameworks, never the reverse.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

MESSAGE = _("Enter a full web address starting with https:// or http://.")
_validator = URLValidator(schemes=["http", "https"], message=MESSAGE)


def validate_http_url(value) -> None:
    """Raise ValidationError unless value is an absolute http(s) URL (no spaces or control characters
    around or inside it, any case of ``JavaScript:`` refused like the rest)."""
    if not isinstance(value, str):
        raise ValidationError(MESSAGE, code="invalid")
    _validator(value)


def is_http_url(value) -> bool:
    try:
        validate_http_url(value)
    except ValidationError:
        return False
    return True


def url_field_errors(instance, *names: str) -> dict:
    """For a model's clean(): {field: message} for each named URLField whose value Django's own URL check
    accepts (it already reports the rest) but which is not http(s), such as ftp:// addresses."""
    errors = {}
    for name in names:
        value = getattr(instance, name)
        if not value or is_http_url(value):
            continue
        try:
            URLValidator()(value)
        except ValidationError:
            continue  # the field's own validator says so
        errors[name] = MESSAGE
    return errors
