"""“My data”: everything the platform keeps about a learner, as a zip of JSON files and their files.

README.txt                       what each file is
profile.json                     account, addresses, profile
credentials.json                 every credential of the wallet (state, visibility, links)
credentials/<public_id>.json     the signed Open Badges 3.0 credential of each
imported.json                    imported credentials with their verification reports
imported/<public_id>.<ext>       the files they were imported from
evidence.json, evidence/<name>   evidence added after the award, and its files
collections.json                 collections and their order
endorsements.json                endorsements (requested and given; the signed 3.0 form when given)
share_events.json                share actions
(apps above the wallet add their own files: organisations.json, organisation memberships and shares;
communities.json, community memberships and contribution badges; applications.json, applications for
credentials with their evidence, reviews and mentoring sessions, and goals)
"""

import json
import tempfile
import zipfile

from allauth.account.models import EmailAddress
from django.utils import timezone

from credentials.links import award_links

from . import selectors
from .models import Collection, Endorsement, ExternalCredential, Profile, RecipientEvidence, ShareEvent, WalletEntry

#: Files apps above this one add to the export (ADR 10: registered at start): [(file name, builder(user) → data)].
_SECTIONS: list[tuple[str, object]] = []


def register_export_section(name: str, builder) -> None:
    """Add `name` (a JSON file) to every export, holding `builder(user)` (JSON-serialisable data)."""
    if all(existing != name for existing, _builder in _SECTIONS):
        _SECTIONS.append((name, builder))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _read(field) -> bytes | None:
    try:
        with field.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def account_export(user):
    """A temporary file (SpooledTemporaryFile, rewound) holding the zip."""
    handle = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - returned open
    awards = list(selectors.holder_awards(user).order_by("issued_at"))
    entries = {e.award_id: e for e in WalletEntry.objects.filter(user=user)}
    profile = Profile.objects.filter(user=user).first()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", __doc__)
        archive.writestr(
            "profile.json",
            _dump(
                {
                    "exported_at": timezone.now().isoformat(),
                    "account": {
                        "email": user.email,
                        "name": user.get_full_name(),
                        "joined": _iso(user.date_joined),
                        "last_login": _iso(user.last_login),
                    },
                    "addresses": [
                        {"email": a.email, "verified": a.verified, "primary": a.primary}
                        for a in EmailAddress.objects.filter(user=user)
                    ],
                    "profile": {
                        "handle": profile.handle,
                        "display_name": profile.display_name,
                        "headline": profile.headline,
                        "public": profile.is_public,
                    }
                    if profile
                    else None,
                }
            ),
        )
        index = []
        for award in awards:
            links = award_links(award)
            links.pop("claim_url", None)
            entry = entries.get(award.pk)
            index.append(
                {
                    "id": award.public_id,
                    "name": award.achievement.name,
                    "issuer": award.achievement.issuer.name,
                    "recipient_email": award.recipient_email,
                    "issued": _iso(award.issued_at),
                    "expires": _iso(award.expires_at),
                    "state": award.effective_state,
                    "public": bool(entry and entry.is_public),
                    "file": f"credentials/{award.public_id}.json",
                    "links": links,
                }
            )
            archive.writestr(f"credentials/{award.public_id}.json", _dump(award.credential))
        archive.writestr("credentials.json", _dump(index))

        imported = []
        for item in ExternalCredential.objects.filter(user=user):
            row = {
                "id": item.public_id,
                "name": item.name,
                "issuer": item.issuer_name,
                "standard": item.kind,
                "source": item.source,
                "source_url": item.source_url,
                "imported": _iso(item.created_at),
                "public": item.is_public,
                "credential": item.document,
                "verification_report": item.report,
            }
            if item.original:
                data = _read(item.original)
                if data is not None:
                    name = f"imported/{item.public_id}.{item.original.name.rsplit('.', 1)[-1]}"
                    archive.writestr(name, data)
                    row["file"] = name
            imported.append(row)
        archive.writestr("imported.json", _dump(imported))

        evidence = []
        for item in RecipientEvidence.objects.filter(user=user).select_related("award"):
            row = {
                "credential": item.award.public_id,
                "kind": item.kind,
                "title": item.title,
                "description": item.narrative,
                "url": item.url,
                "public": item.is_public,
                "added": _iso(item.created_at),
            }
            if item.file:
                data = _read(item.file)
                if data is not None:
                    name = f"evidence/{item.public_id}-{item.filename}"
                    archive.writestr(name, data)
                    row["file"] = name
            evidence.append(row)
        archive.writestr("evidence.json", _dump(evidence))

        collections = []
        for collection in Collection.objects.filter(user=user).prefetch_related("items__award", "items__external"):
            collections.append(
                {
                    "name": collection.name,
                    "description": collection.description,
                    "public": collection.is_public,
                    "items": [
                        {"credential": item.award.public_id} if item.award_id else {"imported": item.external.public_id}
                        for item in collection.items.all()
                    ],
                }
            )
        archive.writestr("collections.json", _dump(collections))

        endorsements = []
        for item in Endorsement.objects.filter(award__in=awards).select_related("award"):
            endorsements.append(
                {
                    "credential": item.award.public_id,
                    "endorser": item.endorser_name,
                    "endorser_title": item.endorser_title,
                    "kind": item.kind,
                    "state": item.state,
                    "hidden": item.is_hidden,
                    "comment": item.comment,
                    "requested": _iso(item.requested_at),
                    "endorsed": _iso(item.endorsed_at),
                    "endorsement_credential": item.credential,
                }
            )
        archive.writestr("endorsements.json", _dump(endorsements))

        archive.writestr(
            "share_events.json",
            _dump(
                [
                    {"credential": e.award.public_id, "channel": e.channel, "at": _iso(e.at)}
                    for e in ShareEvent.objects.filter(user=user).select_related("award")
                ]
            ),
        )
        for name, builder in _SECTIONS:
            archive.writestr(name, _dump(builder(user)))
    handle.seek(0)
    return handle
