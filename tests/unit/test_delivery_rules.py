"""Delivery's pure rules (domain/delivery.py): buckets, retry budgets, what is dropped."""

from __future__ import annotations

from domain.delivery import (
    Priority,
    RetryPolicy,
    TokenBucket,
    chat_key,
    is_group,
    is_private,
    least_important,
)


def test_a_bucket_allows_its_burst_then_one_per_interval():
    bucket = TokenBucket(3, 1.0, now=100.0)
    for _ in range(3):
        assert bucket.ready(100.0)
        bucket.take()
    assert not bucket.ready(100.0)
    assert bucket.wait_s(100.0) == 1.0
    assert bucket.ready(101.0) and not bucket.full(101.0)
    assert bucket.full(103.0)


def test_a_429_pauses_the_bucket():
    bucket = TokenBucket(10, 6.0, now=0.0)
    bucket.pause(0.0, 30.0)
    assert not bucket.ready(29.0) and bucket.wait_s(29.0) == 1.0
    assert bucket.ready(30.0)


def test_retry_budgets_by_what_is_sent():
    policy = RetryPolicy()
    assert policy.budget(posting=False, priority=Priority.SAFETY) == policy.lookup_budget_s
    assert policy.budget(posting=True, priority=Priority.SAFETY) == policy.safety_budget_s
    assert policy.budget(posting=True, priority=Priority.ROUTINE) == policy.budget_s
    assert [policy.pause(n) for n in (0, 1, 50)] == [0.25, 0.5, 15.0]
    assert policy.gives_up(19.0, 2.0, 20.0) and not policy.gives_up(17.0, 2.0, 20.0)


def test_a_full_queue_drops_the_least_important_newest_first():
    waiting = [[1, 5, "care"], [3, 1, "old routine"], [3, 4, "new routine"], [2, 9, "answer"]]
    assert least_important(waiting)[2] == "new routine"


def test_chat_kinds():
    assert chat_key("-100123") == -100123 and chat_key("@chan") == "@chan"
    assert is_group(-100123) and is_group("@chan") and not is_group(5)
    assert is_private(5) and not is_private(-5) and not is_private("@chan")
