from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render

from frameworks.selectors import framework_current


def home(request):
    return render(request, "home.html", {"framework": framework_current()})


def bench_noop(request):
    """Does nothing, behind every middleware: the baseline of benchmarks/verification.py (BENCHMARK_VIEWS only)."""
    if not settings.BENCHMARK_VIEWS:
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")
