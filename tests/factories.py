import factory

from frameworks.models import BadgeCategory, CertificateTier, Framework, GlossaryTerm

BADGE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" width="600" height="600">
<circle cx="300" cy="300" r="280" fill="{{ primary }}" stroke="{{ accent }}" stroke-width="20"/>
<path transform="translate(252 150) scale(4)" d="{{ icon_path }}" fill="{{ secondary }}"/>
<text x="300" y="380" text-anchor="middle" font-size="40" fill="{{ ink }}">{{ title_1 }}</text>
<text x="300" y="430" text-anchor="middle" font-size="40" fill="{{ ink }}">{{ title_2 }}</text>
<text x="300" y="480" text-anchor="middle" font-size="30" fill="{{ ink }}">{{ title_3 }}</text>
<text x="300" y="530" text-anchor="middle" font-size="24" fill="{{ ink }}">{{ category }} {{ level_marker }}</text>
</svg>"""
CERTIFICATE_HTML = """<html lang="{{ lang }}"><body><h1>{{ tier_name }}</h1><p>{{ recipient_name }}</p>
<p>{{ achievement_name }}</p><p>{{ verify_url }}</p>{{ qr_svg|safe }}</body></html>"""


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    version = factory.Sequence(lambda n: n + 100)
    title = "Test framework"


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTier

    framework = factory.SubFactory(FrameworkFactory)
    code = CertificateTier.Code.PARTICIPATION
    name = factory.LazyAttribute(lambda o: CertificateTier.Code(o.code).label)
    description = "A tier."
    achievement_type = "CertificateOfCompletion"
    html_template = CERTIFICATE_HTML


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgeCategory

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    description = "A category."
    achievement_type = "Badge"
    required_fields = ["criteria"]
    recipient_kinds = ["person"]
    shape = "circle"
    icon = "star"
    icon_path = "M12 2l3 7h7l-6 4 2 7-6-4-6 4 2-7-6-4h7z"
    level_marker = "stars"
    max_level = 3
    example_name = "Sample badge"
    example_level = 2
    svg_template = BADGE_SVG


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    framework = factory.SubFactory(FrameworkFactory)
    slug = factory.Sequence(lambda n: f"term-{n}")
    term = factory.Sequence(lambda n: f"Term {n}")
    definition = "A definition."
    international_term = "Term"
    source = "open_badges"


def complete_draft(**kwargs) -> Framework:
    """A draft with the three tiers and one category: ready to publish."""
    framework = FrameworkFactory(**kwargs)
    TierFactory(framework=framework, code="participation", order=1)
    TierFactory(
        framework=framework,
        code="achievement",
        order=2,
        achievement_type="Certificate",
        summative_assessment_required=True,
        min_hours=20,
    )
    TierFactory(framework=framework, code="diploma", order=3, achievement_type="Diploma", min_courses=3, min_ects=6)
    CategoryFactory(
        framework=framework,
        code="competency",
        name="Competency",
        required_fields=["criteria", "assessment_method", "level", "skill_alignment"],
    )
    return framework
