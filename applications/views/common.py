"""What the views share: errors onto forms and the files' policy (the wallet's own), serving a private file."""

from django.http import FileResponse, Http404

from wallets.views.common import FILE_POLICY
from wallets.views.common import apply_errors as form_errors

__all__ = ["FILE_POLICY", "form_errors", "serve_file"]


def serve_file(item, *, public: bool = False):
    if item is None:
        raise Http404("No such file")
    try:
        handle = item.file.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404("No such file") from exc
    response = FileResponse(
        handle, content_type=item.content_type, as_attachment=item.content_type == "application/pdf",
        filename=item.filename,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
