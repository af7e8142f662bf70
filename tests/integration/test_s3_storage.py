"""Nothing on local disk: an award issued on web process A is baked and rendered by a worker into S3 (moto's
S3-compatible server), and web process B serves its PDF from there; a learner's evidence file uploaded through
A lands under the bucket's private prefix and comes back through B to its holder only. The processes' local
media directories stay empty. Run in the integration pass (PostgreSQL, Redis), which CI=true makes mandatory."""

import json
import uuid

import pytest
import requests

from tests.integration.cluster import EMAIL, issue, wait_for
from tests.wallets.conftest import client_for, make_learner, png_bytes

pytestmark = pytest.mark.integration


@pytest.mark.django_db(transaction=True)
def test_documents_and_evidence_live_in_s3_and_come_back_through_the_other_server(cluster, issuing):
    from wallets.models import RecipientEvidence

    a, b = cluster.web
    request_id = f"s3-test-{uuid.uuid4().hex}"
    public_id = issue(issuing, base=a, request_id=request_id)

    baked = {f"media/baked/{public_id}-{version}.png" for version in ("all", "ob3", "ob2")}

    def stored():
        objects = cluster.objects("media/")
        pdfs = [key for key in objects if key.startswith(f"media/certificates/{public_id}-")]
        return (objects, pdfs) if baked <= objects.keys() and pdfs else None

    objects, pdfs = wait_for(stored, timeout=240, interval=1, what="the worker's baked images and PDF in S3")
    assert len(pdfs) == 1
    for key in baked:
        assert objects[key][:8] == b"\x89PNG\r\n\x1a\n", key

    # B serves the PDF the worker stored (read from the bucket, not rendered again).
    pdf = requests.get(f"{b}/c/{public_id}/certificate.pdf", timeout=120)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content == objects[pdfs[0]]
    badge = requests.get(f"{b}/c/{public_id}/badge-ob3.png", timeout=60)
    assert badge.status_code == 200 and badge.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = requests.get(f"{b}/achievements/{issuing.achievement.slug}/image.png", timeout=60)
    rendered = [k for k in cluster.objects("media/achievements/") if k.endswith(".png")]
    assert image.status_code == 200 and rendered  # the achievement image, rendered once, is kept in the bucket
    assert any(cluster.objects("media/achievements/")[k] == image.content for k in rendered)

    # The worker ran the award's follow-up tasks under the API request's id, in JSON log lines.
    def task_lines():
        lines = [json.loads(line) for n in (1, 2) for line in cluster.log(f"worker-{n}").splitlines()
                 if line.startswith("{") and request_id in line]  # fmt: skip
        return lines if any(line.get("task_name") == "credentials.tasks.awards_bake_images" for line in lines) else None

    lines = wait_for(task_lines, timeout=30, what="the worker's log lines with the request id")
    assert {line["request_id"] for line in lines} == {request_id}
    # A's access log (gunicorn, config/gunicorn.py): a JSON line naming the same id.
    access = [json.loads(line) for line in cluster.log("web-1").splitlines() if line.startswith("{")]
    assert any(
        line["logger"] == "gunicorn.access" and "POST /api/v1/awards" in line["message"]
        and f"request_id={request_id}" in line["message"] for line in access
    ), access[-5:]  # fmt: skip

    # Evidence: uploaded through A by the holder, stored privately in the bucket, read back through B.
    learner = make_learner(EMAIL)
    session = requests.Session()
    session.cookies.set("sessionid", client_for(learner).cookies["sessionid"].value)
    assert session.get(f"{b}/wallet/c/{public_id}/", timeout=60).status_code == 200
    png = png_bytes((40, 30))
    upload = session.post(
        f"{a}/wallet/c/{public_id}/evidence/",
        data={"kind": "file", "title": "Poster", "narrative": "", "url": "", "is_public": "on"},
        files={"file": ("poster.png", png, "image/png")},
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=60,
    )
    assert upload.status_code == 302, upload.text[:2000]
    item = RecipientEvidence.objects.get()
    private = cluster.objects("private/")
    assert list(private) == [f"private/{item.file.name}"]
    assert private[f"private/{item.file.name}"][:8] == b"\x89PNG\r\n\x1a\n"
    assert not any(key.startswith("media/") and item.file.name in key for key in cluster.objects())

    url = f"{b}/wallet/evidence/{item.public_id}/file"
    mine = session.get(url, timeout=60)
    assert mine.status_code == 200 and mine.content == private[f"private/{item.file.name}"]
    stranger = requests.get(url, timeout=60)
    assert stranger.status_code != 200 and stranger.content != mine.content
    other = requests.Session()
    other.cookies.set("sessionid", client_for(make_learner("someone.else@example.org")).cookies["sessionid"].value)
    refused = other.get(url, timeout=60)
    assert refused.status_code == 403 and refused.content != mine.content

    # Nothing on local disk: every file of the four processes went to the bucket.
    assert cluster.local_files() == []
