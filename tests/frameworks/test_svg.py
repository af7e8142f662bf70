import pytest

from frameworks.svg import UnsafeSVG, check_svg_template, fill, render_png, sanitize_svg, wrap_title
from tests.factories import BADGE_SVG

HOSTILE = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "handler": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "external image": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="http://evil.example/x.png"/></svg>',
    "foreignObject": '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p></foreignObject></svg>',
    "css import": '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://evil.example/a.css);</style></svg>',
    "javascript link": '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
}
ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>"""
XXE = """<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"""


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_svg_is_refused_with_a_reason(name):
    with pytest.raises(UnsafeSVG, match="The SVG contains"):
        check_svg_template(HOSTILE[name])


@pytest.mark.parametrize("name", list(HOSTILE))
def test_sanitize_removes_the_hostile_part(name):
    cleaned = sanitize_svg(HOSTILE[name])
    check_svg_template(cleaned)  # now safe
    for marker in ("<script", "onload", "evil.example", "foreignObject", "javascript:"):
        assert marker not in cleaned


@pytest.mark.parametrize("document", [ENTITY_BOMB, XXE])
def test_entities_and_dtd_are_refused(document):
    with pytest.raises(UnsafeSVG, match="DTD or entities"):
        check_svg_template(document)
    with pytest.raises(UnsafeSVG):
        sanitize_svg(document)


def test_not_svg_and_malformed_are_refused():
    with pytest.raises(UnsafeSVG, match="not <svg>"):
        check_svg_template("<html/>")
    with pytest.raises(UnsafeSVG, match="not well-formed"):
        check_svg_template("<svg")


def test_oversized_svg_is_refused():
    with pytest.raises(UnsafeSVG, match="larger than"):
        check_svg_template('<svg xmlns="http://www.w3.org/2000/svg">' + " " * 600_000 + "</svg>")


def test_unknown_placeholder_is_named():
    with pytest.raises(UnsafeSVG, match="Unknown placeholder: colour"):
        check_svg_template('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="{{ colour }}"/></svg>')


def test_data_uri_images_and_local_references_are_allowed():
    allowed = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><path id="p" d="M0 0h1"/></defs><use xlink:href="#p"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo="/></svg>'
    )
    assert check_svg_template(allowed) is None  # it raises UnsafeSVG on anything it refuses
    cleaned = sanitize_svg(allowed)  # and the sanitizer keeps both references
    assert 'href="#p"' in cleaned and 'href="data:image/png;base64,iVBORw0KGgo="' in cleaned
    # the same references pointing outside the document are refused
    for outside in ("https://evil.example/p.svg#p", "data:text/html;base64,PHNjcmlwdD4="):
        with pytest.raises(UnsafeSVG, match="external reference"):
            check_svg_template(allowed.replace('href="data:image/png;base64,iVBORw0KGgo="', f'href="{outside}"'))


def test_fill_escapes_values():
    svg = fill(BADGE_SVG, {"title_1": '<script>&"', "primary": "#123456"})
    assert "&lt;script&gt;&amp;" in svg and "<script>" not in svg
    check_svg_template(svg)


def test_wrap_title():
    assert wrap_title("Social Protection Policy Design") == ["Social Protection", "Policy Design", ""]
    assert wrap_title("Peer Mentor") == ["", "Peer Mentor", ""]
    long = wrap_title("A very long badge name that goes on and on and on forever and ever")
    assert len(long) == 3 and long[2].endswith("…") and all(len(line) <= 18 for line in long)


def test_render_png_is_a_real_image():
    from io import BytesIO

    from PIL import Image

    png = render_png(fill(BADGE_SVG, {"primary": "#ff0000", "accent": "#00ff00", "title_1": "Hi"}), size=200)
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size == (200, 200)
    assert image.getpixel((100, 30)) == (255, 0, 0)  # inside the red circle


# --- filling: values are escaped for attributes too, and the filled result is checked (issue 9.7) ----------

ATTRIBUTE_INJECTIONS = ['M0 0" onload="alert(1)', "M0 0' onload='alert(1)", 'M0 0"/><script>alert(1)</script><a x="']


def _attributes(svg_text: str) -> list[tuple[str, str, str]]:
    from defusedxml.ElementTree import fromstring

    return [(node.tag, name, value) for node in fromstring(svg_text).iter() for name, value in node.attrib.items()]


@pytest.mark.parametrize("icon", ATTRIBUTE_INJECTIONS)
def test_a_staff_icon_path_with_quotes_stays_inside_its_attribute(icon):
    single_quoted = BADGE_SVG.replace('d="{{ icon_path }}"', "d='{{ icon_path }}'")
    for template in (BADGE_SVG, single_quoted):
        filled = fill(template, {"icon_path": icon, "title_1": icon})
        attributes = _attributes(filled)
        assert not [a for a in attributes if a[1].lower().startswith("on")], filled
        assert ("{http://www.w3.org/2000/svg}path", "d", icon) in attributes  # the value, whole and inert
        assert "<script" not in filled


@pytest.mark.parametrize(
    ("template", "values"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><style>{{ title_1 }}</style></svg>',
         {"title_1": "@import url(https://evil.example/a.css);"}),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: {{ primary }}"/></svg>',
         {"primary": "url(https://evil.example/x.svg#a)"}),
        ('<svg xmlns="http://www.w3.org/2000/svg"><style>.t {{ title_1 }}</style></svg>',
         {"title_1": "{ background: url(javascript:alert(1)) }"}),
    ],
)  # fmt: skip
def test_a_template_whose_filled_result_is_unsafe_is_refused(template, values):
    check_svg_template(template)  # the template alone is fine
    with pytest.raises(UnsafeSVG, match="external reference"):
        fill(template, values)


def test_a_category_whose_design_turns_unsafe_once_filled_is_refused(default_framework):
    from django.core.exceptions import ValidationError

    from frameworks.services import framework_new_version

    draft = framework_new_version(source=default_framework)
    category = draft.badgecategory_set.get(code="competency")
    category.icon_path = 'M0 0" onload="alert(1)'
    category.full_clean()  # quotes in the icon are escaped: harmless
    category.svg_template = '<svg xmlns="http://www.w3.org/2000/svg"><style>{{ category }}</style></svg>'
    category.name = "@import url(https://evil.example/a.css)"
    with pytest.raises(ValidationError) as caught:
        category.full_clean()
    assert "external reference" in str(caught.value.message_dict["svg_template"])


def test_achievement_pages_serve_an_inert_image_for_a_hostile_icon(client, issuer, competency):
    from frameworks.models import BadgeCategory
    from tests.credentials.conftest import make_achievement

    BadgeCategory.objects.filter(pk=competency.pk).update(icon_path='M0 0" onload="alert(1)')
    competency.refresh_from_db()
    achievement = make_achievement(issuer, competency, name='Peer "Mentor" <b>')
    from credentials.artifacts.images import achievement_svg

    svg_text = achievement_svg(achievement)
    assert not [a for a in _attributes(svg_text) if a[1].lower().startswith("on")]
    assert "Peer &quot;Mentor&quot; &lt;b&gt;" in svg_text
    response = client.get(f"/achievements/{achievement.slug}/image.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_an_achievement_name_that_makes_its_image_unsafe_is_refused(issuer, competency):
    from django.core.exceptions import ValidationError

    from frameworks.models import BadgeCategory
    from tests.credentials.conftest import make_achievement

    BadgeCategory.objects.filter(pk=competency.pk).update(
        svg_template='<svg xmlns="http://www.w3.org/2000/svg"><style>{{ title_2 }}</style></svg>'
    )
    competency.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        make_achievement(issuer, competency, name="@import url(x.css)")
    assert "external reference" in str(caught.value.message_dict["name"])
