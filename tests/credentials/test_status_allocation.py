"""Status-list index allocation stays cheap as a list fills (issue 13.3): a batch of 50 costs about two queries
whether its list is empty or 90% full, and a list is given up at about 95%, not half."""

import random
from types import SimpleNamespace

import pytest

from credentials.models import Award
from credentials.openbadges.status_list import MIN_BITS
from credentials.services import status_lists


def filled(share: float, *, size=MIN_BITS, seed=7) -> set[int]:
    return set(random.Random(seed).sample(range(size), int(size * share)))


def draw(held: set[int], count: int, *, size=MIN_BITS):
    """(indexes, rounds): _draw_free_indexes against a list whose taken indexes are `held`, one round a query."""
    rounds = []

    def taken(status_list, draws):
        rounds.append(len(draws))
        return held.intersection(draws)

    indexes = status_lists._draw_free_indexes(SimpleNamespace(size=size), count, taken=taken)
    return indexes, rounds


@pytest.mark.parametrize("share", [0.0, 0.5, 0.9])
def test_a_batch_costs_about_two_queries_up_to_90_percent_full(share):
    held = filled(share)
    for _ in range(20):  # random draws: the bound holds every time, not on average
        indexes, rounds = draw(held, 50)
        assert len(indexes) == 50 and len(set(indexes)) == 50
        assert not held.intersection(indexes) and all(0 <= index < MIN_BITS for index in indexes)
        assert len(rounds) <= 3, rounds
        assert sum(rounds) <= 2000  # candidates checked, in all: a few hundred at 90%


def test_a_single_award_at_90_percent_full_takes_few_queries():
    held = filled(0.9)
    worst = max(len(draw(held, 1)[1]) for _ in range(50))
    assert worst <= 4


def test_the_old_way_gave_lists_up_at_half_full_this_one_at_95_percent():
    assert draw(filled(0.6), 50)[0] is not None  # the previous version answered "full" here
    assert draw(filled(0.93), 50)[0] is not None
    indexes, rounds = draw(filled(0.97), 50)
    assert indexes is None and len(rounds) <= 3  # full: the caller opens a new list


def test_a_full_small_list_is_detected_from_every_index_drawn():
    indexes, rounds = draw(set(range(8)), 1, size=8)
    assert indexes is None and len(rounds) <= 8


@pytest.mark.django_db
def test_drawn_indexes_are_checked_against_the_awards_of_the_list(achievement):
    from credentials.services import Recipient, award_issue

    award = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A"))
    Award.objects.filter(pk=award.pk).update(status_index=2)
    status_list = award.status_list
    status_list.size = 4  # a tiny list with index 2 held: the three others, in some order
    assert sorted(status_lists._draw_free_indexes(status_list, 3)) == [0, 1, 3]
