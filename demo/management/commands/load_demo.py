from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from credentials.management.base_url import warn_if_base_url_unset
from credentials.models import Achievement, Issuer
from credentials.services import achievement_save, issuer_create
from demo import applications as demo_applications
from demo import data
from demo import organisations as demo_organisations
from demo import translations as translated
from frameworks.selectors import categories_by_code, framework_current

DEMO_STAFF = {"username": "staff", "email": "staff@example.org", "password": "laurel-demo-staff"}
DEMO_LEARNER = {"email": "learner@example.org", "name": "Amina Okonkwo", "password": "laurel-demo-learner"}
DEMO_LEARNER_AWARDS = [
    "social-dialogue-competency",
    "future-of-work-forum",
    "green-jobs-course",
    "social-protection-participation",
]


class Command(BaseCommand):
    help = "Load the demo data `make run` serves: framework, staff account, issuer, achievements. Idempotent."

    def handle(self, *args, **options):
        warn_if_base_url_unset(self)
        call_command("load_default_framework", stdout=self.stdout)
        with transaction.atomic():
            staff, created = self._staff()
            issuer = Issuer.objects.filter(slug=data.ISSUER["slug"]).first() or issuer_create(**data.ISSUER)
            made = self._achievements(issuer)
            learner_created = self._learner()
            event = self._event(staff)
            programme_staff = self._programmes()
            communities = self._communities()
            organisation = demo_organisations.load(DEMO_LEARNER["email"])
            demo_applications.load(DEMO_LEARNER["email"])  # open routes, a pending application, a goal
        from analytics.demo_history import history_exists

        if not history_exists():  # two years of awards, claims, shares and views for the analytics pages
            call_command("demo_history", stdout=self.stdout)
        base = settings.BASE_URL
        if made:
            self.stdout.write(f"Created the demo issuer's achievements: {made}.")
        self.stdout.write(self.style.SUCCESS(f"Laurel is at {base}/"))
        self.stdout.write(f"  Framework:      {base}/framework/")
        self.stdout.write(f"  Verify:         {base}/verify/")
        self.stdout.write(f"  Staff console:  {base}/staff/  (platform administration: {base}/admin/)")
        self.stdout.write(f"  API:            {base}/api/docs/")
        self.stdout.write(f"  Demo learner:   {base}/u/demo-learner/  (wallet: {base}/wallet/)")
        if event is not None:
            self.stdout.write(
                f"  Demo event:     {base}{event.get_absolute_url()}  (code {event.display_code}, "
                f"poster: {base}{event.get_absolute_url()}poster/)"
            )
        for community in communities:
            self.stdout.write(f"  Demo community: {base}{community.get_absolute_url()}")
        if organisation is not None:
            self.stdout.write(
                f"  Demo organisation: {base}{organisation.get_absolute_url()}  (admin: "
                f"{demo_organisations.ADMIN['email']} / {demo_organisations.ADMIN['password']})"
            )
        if created or staff.check_password(DEMO_STAFF["password"]):
            self.stdout.write(f"  Demo staff login: {DEMO_STAFF['username']} / {DEMO_STAFF['password']}")
        else:
            self.stdout.write(f"  Demo staff login: {DEMO_STAFF['username']} (password changed since first run)")
        if learner_created or get_user_model().objects.filter(email=DEMO_LEARNER["email"]).exists():
            self.stdout.write(f"  Demo learner login: {DEMO_LEARNER['email']} / {DEMO_LEARNER['password']}")
        for role, email, password, fresh in programme_staff:
            team = f"{base}/staff/p/{data.STAFF_PROGRAMME}/team/" if role == "manager" else ""
            login = f"{email} / {password}" if fresh else f"{email} (password changed since first run)"
            self.stdout.write(f"  Demo programme {role}: {login}{'  (team: ' + team + ')' if team else ''}")

    def _programmes(self) -> list[tuple[str, str, str, bool]]:
        """The nine programmes, the demo achievements assigned to them, and one manager, issuer and viewer of
        one programme. Returns (role, email, password, password still the demo one) per member."""
        from programmes.models import Programme
        from programmes.services import programme_create, programme_update, staff_role_set, staff_user_ensure

        existing = {p.slug: p for p in Programme.objects.filter(slug__in=[slug for slug, *_ in data.PROGRAMMES])}
        for slug, name, description in data.PROGRAMMES:
            if slug not in existing:
                existing[slug] = programme_create(
                    slug=slug, name=name, description=description, translations=translated.PROGRAMMES[slug]
                )
            elif not existing[slug].translations:  # made by a run before translations existed
                programme_update(programme=existing[slug], translations=translated.PROGRAMMES[slug])
        for slug, programme in data.ACHIEVEMENT_PROGRAMMES.items():
            # demo data, written by the system: achievements of the first runs had no programme
            Achievement.objects.filter(slug=slug, programme__isnull=True).update(programme=existing[programme])
        members = []
        for role, email, password in data.PROGRAMME_STAFF:
            user = get_user_model().objects.filter(email=email).first()
            if user is None:
                user, _created = staff_user_ensure(email=email, password=password)
            if not user.programme_roles.filter(programme=existing[data.STAFF_PROGRAMME]).exists():
                staff_role_set(programme=existing[data.STAFF_PROGRAMME], user=user, role=role)
            members.append((role, email, password, user.check_password(password)))
        return members

    def _communities(self) -> list:
        """The demo communities (created once, by the system); the demo learner joins the open one."""
        from communities.models import Community
        from communities.services import community_create, membership_join
        from programmes.models import Programme

        made = []
        for slug, name, programme, achievement, join_mode, renewal_mode, description, how in data.COMMUNITIES:
            community = Community.objects.filter(slug=slug).first()
            badge = Achievement.objects.filter(slug=achievement, programme__slug=programme).first()
            owner = Programme.objects.filter(slug=programme).first()
            if community is None and badge is not None and owner is not None:
                community = community_create(
                    programme=owner, slug=slug, name=name, description=description, how_to_join=how,
                    membership_achievement=badge, join_mode=join_mode, renewal_mode=renewal_mode,
                )  # fmt: skip
                learner = get_user_model().objects.filter(email=DEMO_LEARNER["email"]).first()
                if learner is not None and join_mode == "open":
                    membership_join(community=community, user=learner,
                                    statement="Policy officer, class of 2019.")  # fmt: skip
            if community is not None:
                made.append(community)
        return made

    def _staff(self):
        staff, created = get_user_model().objects.get_or_create(
            username=DEMO_STAFF["username"],
            defaults={"email": DEMO_STAFF["email"], "is_staff": True, "is_superuser": True},
        )
        if created:
            staff.set_password(DEMO_STAFF["password"])
            staff.save()
        return staff, created

    def _learner(self) -> bool:
        """A learner whose wallet holds a few accepted, public credentials (first run only)."""
        from credentials.services import Recipient, award_issue
        from wallets.services import claim_accept, claim_account_create, profile_update, wallet_entry_set_visibility

        if get_user_model().objects.filter(email=DEMO_LEARNER["email"]).exists():
            return False
        awards = [
            award_issue(
                achievement=achievement,
                recipient=Recipient(
                    email=DEMO_LEARNER["email"], name=DEMO_LEARNER["name"], idempotency_key=f"demo:{achievement.slug}"
                ),
            )
            for achievement in Achievement.objects.filter(slug__in=DEMO_LEARNER_AWARDS).select_related(
                "issuer", "tier", "category"
            )
        ]
        if not awards:
            return False
        user = claim_account_create(
            award=awards[0], password=DEMO_LEARNER["password"], display_name=DEMO_LEARNER["name"]
        )
        for award in awards:
            if award is not awards[0]:
                claim_accept(award=award, user=user)
            wallet_entry_set_visibility(user=user, award=award, is_public=True)
        profile_update(
            user=user,
            handle="demo-learner",
            display_name=DEMO_LEARNER["name"],
            headline="Labour policy officer",
            is_public=True,
        )
        return True

    def _event(self, staff):
        """An event open for a year whose attendees claim the demo event badge (created once)."""
        from events.models import Event
        from events.services import event_create

        achievement = Achievement.objects.filter(slug=data.EVENT["achievement"]).first()
        if achievement is None:
            return None
        existing = Event.objects.filter(achievement=achievement, name=data.EVENT["name"]).order_by("pk").first()
        if existing is not None:
            if not existing.translations:  # made by a run before translations existed
                from events.services import event_update

                event_update(event=existing, translations=translated.EVENT, actor=staff)
            return existing
        now = timezone.now()
        return event_create(
            achievement=achievement,
            name=data.EVENT["name"],
            description=data.EVENT["description"],
            translations=translated.EVENT,
            opens_at=now,
            closes_at=now + timedelta(days=365),
            actor=staff,
        )

    def _achievements(self, issuer) -> int:
        framework = framework_current()
        tiers = {tier.code: tier for tier in framework.certificatetier_set.all()}
        categories = categories_by_code(framework=framework)
        made = 0
        for slug, name, description, criteria, (kind, code) in data.ACHIEVEMENTS:
            stored = Achievement.objects.filter(slug=slug).first()
            if stored is not None:
                if not stored.translations:  # made by a run before translations existed
                    stored.translations = _achievement_translations(slug)
                    achievement_save(achievement=stored)
                continue
            target = tiers.get(code) if kind == "tier" else categories.get(code)
            if target is None:
                continue
            fields = data.definition(kind, code, target)
            achievement = Achievement(
                slug=slug,
                issuer=issuer,
                name=name,
                description=description,
                criteria_narrative=criteria,
                tier=target if kind == "tier" else None,
                category=target if kind == "category" else None,
                translations=_achievement_translations(slug),
                **fields,
            )
            achievement_save(achievement=achievement)
            made += 1
        return made


def _achievement_translations(slug: str) -> dict:
    """French and Spanish texts of a demo achievement, complete (so that credentials are signed in them)."""
    return {lang: {**translated.DEFINITION[lang], **texts} for lang, texts in translated.ACHIEVEMENTS[slug].items()}
