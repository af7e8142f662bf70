"""The French and Spanish interfaces are complete (issue 15.1).

Four checks, each able to fail on its own:
  - every entry of locale/fr and locale/es is translated, none is fuzzy, placeholders and HTML tags survive, and
    the committed .mo files hold exactly what the .po files say (compilemessages was run);
  - every string marked in the code and the templates is in both catalogues (makemessages and a translation were
    done after the last new string);
  - no template shows text outside {% translate %} / {% blocktranslate %};
  - key pages rendered in French and Spanish carry the translated navigation and headings, not the English ones.

The .po files are read by the small parser below (no polib): entries are separated by blank lines, each made of
comments (#), msgctxt, msgid, msgid_plural and msgstr / msgstr[n] lines with their continuation strings.
"""

import ast
import functools
import gettext
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

pytestmark = pytest.mark.i18n


ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "es")
SKIP_DIRS = {".venv", ".venv-ob2", "node_modules", "tests", "var", "migrations", "media", "__pycache__", ".git"}

# --- a tiny .po reader ---------------------------------------------------------------------------------------------


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (the header excluded): dicts with ctx, msgid, plural, msgstr (a list: one
    string, or one per plural form), fuzzy and line (where the entry starts)."""
    entries = []
    line_no = 1
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        start = line_no
        line_no += block.count("\n") + 2
        fields: dict[str, list[str]] = {}
        flags = ""
        current = None
        for line in block.strip("\n").splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#~"):  # obsolete: makemessages --no-obsolete drops them, a stale file may not
                current = None
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line):
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        msgid = _unquote(fields["msgid"])
        if msgid == "" and "msgctxt" not in fields:
            continue  # the header
        forms = sorted(k for k in fields if k.startswith("msgstr"))
        entries.append(
            {
                "ctx": _unquote(fields["msgctxt"]) if "msgctxt" in fields else None,
                "msgid": msgid,
                "plural": _unquote(fields["msgid_plural"]) if "msgid_plural" in fields else None,
                "msgstr": [_unquote(fields[k]) for k in forms],
                "fuzzy": "fuzzy" in flags,
                "line": start,
            }
        )
    return entries


def _po(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def _where(language: str, entry: dict) -> str:
    return f"locale/{language}/LC_MESSAGES/django.po:{entry['line']} {entry['msgid'][:70]!r}"


# --- 1. complete, clean and compiled catalogues --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    entries = read_po(_po(language))
    assert len(entries) > 500, "the catalogue looks truncated"
    untranslated = [_where(language, e) for e in entries if not all(s.strip() for s in e["msgstr"])]
    fuzzy = [_where(language, e) for e in entries if e["fuzzy"]]
    assert not untranslated, f"{len(untranslated)} untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    plural_forms = [e for e in entries if e["plural"] is not None]
    assert all(len(e["msgstr"]) == 2 for e in plural_forms), "French and Spanish have two plural forms"


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{.*?\}\}|\{\w*\}")
TAG = re.compile(r"</?(a|strong|em|b|i|br|code|span|abbr)\b[^>]*>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_tags_survive_translation(language):
    """A translation that drops or renames %(name)s breaks the page (KeyError) or loses the value."""
    problems = []
    for entry in read_po(_po(language)):
        for index, text in enumerate(entry["msgstr"]):
            source = entry["plural"] if index and entry["plural"] else entry["msgid"]
            for pattern in (PLACEHOLDER, TAG):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                    problems.append(f"{_where(language, entry)}: {pattern.findall(source)} != {pattern.findall(text)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The .mo files are committed: one not compiled after the last change serves stale or no translations."""
    mo = _po(language).with_suffix(".mo")
    assert mo.exists(), f"run: manage.py compilemessages -l {language}"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(_po(language)):
        key = f"{entry['ctx']}\x04{entry['msgid']}" if entry["ctx"] is not None else entry["msgid"]
        if entry["plural"] is None:
            compiled = catalogue._catalog.get(key)
            if compiled != entry["msgstr"][0]:
                stale.append(_where(language, entry))
        elif [catalogue._catalog.get((key, n)) for n in range(2)] != entry["msgstr"]:
            stale.append(_where(language, entry))
    assert not stale, f"run: manage.py compilemessages -l {language}\n" + "\n".join(stale[:30])


# --- 2. every marked string is in the catalogues ------------------------------------------------------------------


def _source_files(suffixes: tuple[str, ...]) -> list[Path]:
    """The project's own files (no virtualenv, tests or data), as makemessages walks them."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIP_DIRS and not d.startswith(".venv"))
        found += [Path(folder) / name for name in sorted(files) if name.endswith(suffixes)]
    return found


GETTEXT_CALLS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("ctx", "msgid"),
    "pgettext_lazy": ("ctx", "msgid"),
    "npgettext": ("ctx", "msgid", "plural"),
    "npgettext_lazy": ("ctx", "msgid", "plural"),
}


@functools.cache
def _python_messages() -> tuple:
    return tuple(_read_python_messages())


def _read_python_messages():
    for path in _source_files((".py",)):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            roles = GETTEXT_CALLS.get(name)
            if not roles or len(node.args) < len(roles):
                continue
            args = node.args[: len(roles)]
            if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                found = dict(zip(roles, (a.value for a in args), strict=True))
                yield f"{path.relative_to(ROOT)}:{node.lineno}", found.get("ctx"), found["msgid"]


TEMPLATIZED_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)", re.DOTALL)
LITERAL = re.compile(r"u('(?:[^'\\]|\\.)*')", re.DOTALL)


@functools.cache
def _template_messages() -> tuple:
    return tuple(_read_template_messages())


def _read_template_messages():
    """What makemessages extracts from templates: Django's own templatize() turns each template into gettext()
    calls, whose literal arguments are read back here."""
    for path in _source_files((".html", ".txt")):
        if "templates" not in path.parts and "certificates" not in path.parts:
            continue
        for match in TEMPLATIZED_CALL.finditer(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
            strings = [ast.literal_eval(literal) for literal in LITERAL.findall(match.group(2))]
            ctx = strings.pop(0) if match.group(1).startswith(("pgettext", "npgettext")) else None
            yield str(path.relative_to(ROOT)), ctx, strings[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(language):
    """New strings need `makemessages -l fr -l es --no-obsolete` and a translation before they merge."""
    known = {(e["ctx"], e["msgid"]) for e in read_po(_po(language))}
    missing = sorted(
        {
            f"{where}: {msgid[:80]!r}"
            for where, ctx, msgid in (*_python_messages(), *_template_messages())
            if msgid and (ctx, msgid) not in known
        }
    )
    assert not missing, f"{len(missing)} marked strings are not in locale/{language}:\n" + "\n".join(missing[:40])


def test_the_extractors_above_find_strings():
    """The two checks above are only as good as their extractors: both must see the strings we know exist."""
    python = {msgid for _, _, msgid in _python_messages()}
    templates = {(ctx, msgid) for _, ctx, msgid in _template_messages()}
    assert "Too many requests from your address. Try again in %(seconds)d seconds." in python
    assert (None, "Skip to content") in templates
    assert ("email address", "Verified") in templates
    assert (None, "Try again in %(minutes)s minute.") in templates  # a {% blocktranslate count %}


# --- 3. no unmarked text in the templates --------------------------------------------------------------------------

# Text a template may show untranslated: the product's name, standards' names, punctuation.
ALLOWED_TEXT = re.compile(
    r"^(?:Laurel|Open Badges(?: [23]\.0)?|[23]\.0|JSON(?:-LD)?|PNG|SVG|PDF|CSV|ECTS|ESCO|EQF|did:key|did:web|"
    r"LinkedIn|QR|&\w+;|[\s·—–:;,.()/|✔✘→←%-]|\d)+$"
)
TRANSLATABLE_ATTRIBUTE = re.compile(r'\b(alt|title|placeholder|aria-label|aria-description|label)="([^"]*)"')


def _unmarked_text(source: str) -> list[str]:
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.DOTALL)
    text = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", "", text, flags=re.DOTALL)
    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.DOTALL)
    text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", text, flags=re.DOTALL)
    found = [
        f'{name}="{value}"'
        for name, value in TRANSLATABLE_ATTRIBUTE.findall(text)
        if re.search(r"[A-Za-z]{2,}", value) and not ALLOWED_TEXT.match(value)
    ]
    found += [
        f'value="{value}"'
        for value in re.findall(r'<input\b[^>]*type="(?:submit|button|reset)"[^>]*value="([^"]*)"', text)
        if value.strip()
    ]
    for chunk in re.sub(r"<[^>]*>", "\n", text).splitlines():
        chunk = chunk.strip()
        if re.search(r"[A-Za-z]{2,}", chunk) and not ALLOWED_TEXT.match(chunk):
            found.append(chunk)
    return found


def test_templates_have_no_unmarked_text():
    problems = []
    for path in _source_files((".html", ".txt")):
        if "templates" in path.parts or "certificates" in path.parts:
            problems += [f"{path.relative_to(ROOT)}: {text[:100]!r}" for text in _unmarked_text(path.read_text())]
    assert not problems, "wrap these in {% translate %} or {% blocktranslate %}:\n" + "\n".join(problems)


def test_the_unmarked_text_check_can_fail():
    template = '<h1>Welcome</h1><p>{% translate "Fine" %}</p><img alt="A badge"> <a>Laurel</a> · {{ name }}'
    assert _unmarked_text(template) == ['alt="A badge"', "Welcome"]


# --- 4. pages in French and Spanish ------------------------------------------------------------------------------

# English template strings (navigation and headings) that must not show in French or Spanish, and words that must.
NAVIGATION = {
    "en": ["Skip to content", "Glossary", "Verify", "Framework as JSON"],
    "fr": ["Aller au contenu", "Glossaire", "Vérifier", "Le cadre en JSON"],
    "es": ["Ir al contenido", "Glosario", "Verificar", "El marco en JSON"],
}
PAGES = {
    "home": (
        "Certificates and badges that anyone can verify",
        {"fr": "Des certificats et des badges", "es": "Certificados e insignias"},
    ),
    "framework": (
        "Certificates: three tiers",
        {"fr": "Certificats : trois niveaux", "es": "Certificados: tres niveles"},
    ),
    "glossary": ("International term", {"fr": "Terme international", "es": "Término internacional"}),
    "verify": ("Verify a credential", {"fr": "Vérifier un justificatif", "es": "Verificar una credencial"}),
    "events": ("Claim a credential from an event", {"fr": "Obtenir le justificatif", "es": "Obtener la credencial"}),
    "login": (
        "Sign in to your wallet",
        {"fr": "Connectez-vous à votre portefeuille", "es": "Inicie sesión en su cartera"},
    ),
    "signup": ("Create your wallet", {"fr": "Créez votre portefeuille", "es": "Cree su cartera"}),
    "verification page": ("Checks performed", {"fr": "Vérifications effectuées", "es": "Comprobaciones realizadas"}),
    "claim": (
        "Keep it in your own wallet",
        {"fr": "Conservez-le dans votre propre portefeuille", "es": "Guárdela en su propia cartera"},
    ),
    "wallet": ("Filter the wallet", {"fr": "Filtrer le portefeuille", "es": "Filtrar la cartera"}),
    "wallet credential": (
        "Link to the verification page",
        {"fr": "Lien vers la page de vérification", "es": "Enlace a la página de verificación"},
    ),
}


@pytest.fixture
def pages(db, default_framework):
    """Every page of PAGES: its path and the client that may open it (the wallet's is signed in)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.test import Client

    from credentials.links import claim_url
    from credentials.services import Recipient, award_issue, issuer_create
    from tests.credentials.conftest import make_achievement

    issuer = issuer_create(slug="centre", name="Centre", url="https://centre.example.org", email="b@example.org")
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"))
    unclaimed = award_issue(achievement=achievement, recipient=Recipient(email="new@example.org", name="Nadia"))
    held = award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina"))
    learner = get_user_model().objects.create_user(username="amina", email="amina@example.org", password="x-42-y")
    EmailAddress.objects.create(user=learner, email="amina@example.org", verified=True, primary=True)
    signed_in = Client()
    signed_in.force_login(learner, backend="allauth.account.auth_backends.AuthenticationBackend")
    anyone = Client()
    return {
        "home": (anyone, "/"),
        "framework": (anyone, "/framework/"),
        "glossary": (anyone, "/framework/glossary/"),
        "verify": (anyone, "/verify/"),
        "events": (anyone, "/events/"),
        "login": (anyone, "/accounts/login/"),
        "signup": (anyone, "/accounts/signup/"),
        "verification page": (anyone, f"/c/{held.public_id}/"),
        "claim": (anyone, claim_url(unclaimed).removeprefix(settings.BASE_URL)),
        "wallet": (signed_in, "/wallet/"),
        "wallet credential": (signed_in, f"/wallet/c/{held.public_id}/"),
    }


def _get(client, path: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_key_pages_are_in_the_visitors_language(pages, language):
    problems = []
    for name, (client, path) in pages.items():
        body = _get(client, path, language)
        english, translated = PAGES[name]
        if f'<html lang="{language}"' not in body:
            problems.append(f"{name} ({path}): not served as {language}")
        for word in NAVIGATION["en"] + [english]:
            if word in body:
                problems.append(f"{name} ({path}): English {word!r}")
        for word in NAVIGATION[language] + [translated[language]]:
            if word not in body:
                problems.append(f"{name} ({path}): no {word!r}")
    assert not problems, "\n".join(problems)


def test_the_same_pages_in_english_show_the_english_words(pages):
    """The words the test above looks for are really on those pages (otherwise it would pass on any page)."""
    for name, (client, path) in pages.items():
        body = _get(client, path, "en")
        for word in NAVIGATION["en"] + [PAGES[name][0]]:
            assert word in body, f"{name} ({path}): {word!r}"
