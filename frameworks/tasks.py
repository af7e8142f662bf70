from celery import shared_task

from .models import BadgeCategory
from .samples import sample_badge_png


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5, time_limit=120, soft_time_limit=100
)
def render_framework_samples(framework_id: int) -> int:
    """Render (or find already rendered) every category's sample badge. Idempotent."""
    categories = BadgeCategory.objects.filter(framework_id=framework_id).select_related("framework")
    count = 0
    for category in categories:
        sample_badge_png(category)
        count += 1
    return count
