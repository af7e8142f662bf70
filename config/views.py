from django.shortcuts import render

from frameworks.selectors import framework_current


def home(request):
    return render(request, "home.html", {"framework": framework_current()})
