"""Rendering a console page: the programme switcher, the navigation and the search box come with it."""

import csv

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render

PAGE_SIZE = 50


def page(request, template: str, context: dict | None = None, status: int = 200):
    # The navigation and the programme switcher come from the context processor `staff.context.chrome`, as on
    # the console pages other apps serve: computed once per render.
    context = {"programme": request.console.programme, **(context or {})}
    return render(request, template, context, status=status)


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
