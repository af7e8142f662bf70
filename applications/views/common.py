"""What the views share: errors onto forms, serving a private file."""

from django.http import FileResponse, Http404

FILE_POLICY = "default-src 'none'; sandbox"


def form_errors(form, exc) -> None:
    for name, errors in getattr(exc, "message_dict", {"__all__": getattr(exc, "messages", [str(exc)])}).items():
        form.add_error(name if name in form.fields else None, errors)


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
