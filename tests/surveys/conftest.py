import pytest


@pytest.fixture(autouse=True)
def _fresh_analytics_cache():
    from django.core.cache import caches

    caches["analytics"].clear()
    yield
    caches["analytics"].clear()
