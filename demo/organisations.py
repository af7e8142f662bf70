"""make run's demo organisation (created once): a ministry of the Learning Innovation programme with an admin,
three members (the demo learner and two colleagues) who share their Social Dialogue badge with it, the
organisation's own network membership, and the "Learning Organisation" credential a rule issued to it."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from credentials.models import Achievement, Award
from credentials.services import Recipient, award_issue

SLUG = "labour-ministry"
PROGRAMME = "learning-innovation"
ADMIN = {"email": "orgadmin@example.org", "password": "laurel-demo-orgadmin", "first": "Grace", "last": "Boateng"}
COLLEAGUES = [("kwame.asante@example.org", "Kwame", "Asante"), ("efua.mensah@example.org", "Efua", "Mensah")]
MEMBER_BADGE = "social-dialogue-competency"
OWN_BADGE = "alumni-network-member"  # the organisational version of the network membership
RESULT = "learning-organisation"


def _person(email: str, first: str, last: str, password: str | None = None):
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(
            email.split("@")[0], email, password, first_name=first, last_name=last
        )
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(learner_email: str):
    """The demo organisation, made once (None when the demo achievements are missing)."""
    from organisations.evaluation import organisation_evaluate
    from organisations.models import Organisation, OrganisationAdmin, OrganisationMember
    from organisations.rules import rule_create
    from organisations.services import credential_share, organisation_create
    from programmes.models import Programme
    from wallets.services import claim_accept

    existing = Organisation.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    badges = {a.slug: a for a in Achievement.objects.filter(slug__in=(MEMBER_BADGE, OWN_BADGE, RESULT))}
    learner = get_user_model().objects.filter(email=learner_email).first()
    if programme is None or len(badges) < 3 or learner is None:
        return None
    organisation = organisation_create(
        programme=programme, slug=SLUG, name="Ministry of Labour and Employment", country="GH",
        email="credentials@labour-ministry.example.org", sector="Public administration",
        website="https://labour-ministry.example.org",
        description="The ministry's labour inspectorate and social dialogue units train their staff with the Centre.",
    )  # fmt: skip
    admin = _person(ADMIN["email"], ADMIN["first"], ADMIN["last"], ADMIN["password"])
    OrganisationAdmin.objects.create(organisation=organisation, user=admin)
    award_issue(
        achievement=badges[OWN_BADGE],
        recipient=Recipient(
            email=organisation.email, name=organisation.name, kind=Award.RecipientKind.ORGANISATION,
            idempotency_key=f"demo:organisation:{OWN_BADGE}",
        ),
    )  # fmt: skip
    rule_create(
        programme=programme, name="Three staff in social dialogue, a member of the network", result=badges[RESULT],
        required_achievements=[badges[OWN_BADGE]], requirements=[(badges[MEMBER_BADGE], 3)],
    )  # fmt: skip
    people = [learner] + [_person(email, first, last) for email, first, last in COLLEAGUES]
    for user in people:
        award = Award.objects.filter(achievement=badges[MEMBER_BADGE], recipient_email=user.email).first()
        if award is None:
            award = award_issue(
                achievement=badges[MEMBER_BADGE],
                recipient=Recipient(
                    email=user.email, name=user.get_full_name(), idempotency_key=f"demo:{MEMBER_BADGE}:{user.email}"
                ),
            )
            award = claim_accept(award=award, user=user)
        member = OrganisationMember.objects.create(
            organisation=organisation, user=user, name=user.get_full_name() or user.email
        )
        credential_share(member=member, award=award, user=user)
    organisation_evaluate(organisation_id=organisation.pk)  # at once (the tasks would do it after commit)
    return organisation
