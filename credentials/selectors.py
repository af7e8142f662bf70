"""Reads of the credentials app, with the joins each page needs."""

from django.http import Http404

from .models import Achievement, Award, Issuer, SigningKey, StatusList

AWARD_JOINS = (
    "achievement__issuer",
    "achievement__tier",
    "achievement__category",
    "key",
    "status_list",
    "replaces",
    "replaced_by",
)


def award_by_public_id(public_id: str) -> Award:
    award = Award.objects.select_related(*AWARD_JOINS).filter(public_id=public_id).first()
    if award is None:
        raise Http404("No such credential")
    return award


def award_companions(award: Award) -> list[Award]:
    """The companion badges issued with a certificate award (none unless its achievement issues them)."""
    if award.achievement.publishing_mode != Achievement.Mode.CERTIFICATE_WITH_BADGES:
        return []
    return list(award.companions.select_related("achievement").order_by("pk"))


def award_endorsement_urls(award: Award) -> list[str]:
    """URLs of the hosted Open Badges 2.0 Endorsements of an award (filled in by the wallets app)."""
    from .signals import assertion_endorsements

    urls: list[str] = []
    for _receiver, found in assertion_endorsements.send(sender=Award, award=award):
        urls.extend(found or [])
    return urls


def awards_for_artifacts(award_ids: list[int]) -> list[Award]:
    """Awards with what their images and PDFs print: the achievement with its issuer, tier or category and
    framework, fetched once per distinct achievement (not per award: a category carries its SVG template)."""
    return list(
        Award.objects.filter(pk__in=award_ids)
        .select_related("key")
        .prefetch_related("achievement__issuer", "achievement__tier", "achievement__category__framework")
        .order_by("pk")
    )


def achievement_by_slug(slug: str) -> Achievement:
    achievement = (
        Achievement.objects.select_related("issuer", "tier__framework", "category__framework").filter(slug=slug).first()
    )
    if achievement is None:
        raise Http404("No such achievement")
    return achievement


def issuer_by_slug(slug: str) -> Issuer:
    issuer = Issuer.objects.filter(slug=slug).first()
    if issuer is None:
        raise Http404("No such issuer")
    return issuer


def issuer_keys(issuer: Issuer) -> list[SigningKey]:
    return list(SigningKey.objects.filter(issuer=issuer).order_by("created_at"))


def status_list_by_pk(pk: int) -> StatusList:
    status_list = StatusList.objects.select_related("key__issuer").filter(pk=pk).first()
    if status_list is None:
        raise Http404("No such status list")
    return status_list


def achievements_for_listing():
    return (
        Achievement.objects.select_related("issuer", "tier", "category").prefetch_related("companions").order_by("slug")
    )


def award_bit(award: Award) -> bool:
    """The award's bit in its status list (loaded with the award)."""
    from .openbadges.status_list import StatusList as Bits

    return Bits(data=bytes(award.status_list.bits)).get(award.status_index)
