"""The delivery queue (handlers/delivery.py): priorities, the flood limits, the cap
per group, retries and a stop that waits for nothing. Driven directly, with short
intervals; the e2e tests drive the same queue through the emulator."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from handlers.delivery import (
    DeliveryQueue,
    Priority,
    RetryPolicy,
    SendAborted,
    SendDeferred,
    SendDropped,
)

GROUP = -100123


#: Retries scaled down so a test sees them give up.
QUICK = RetryPolicy(
    pauses_s=(0.01, 0.02, 0.04), budget_s=0.5, safety_budget_s=0.5, lookup_budget_s=0.5
)


async def make_queue(**kwargs) -> DeliveryQueue:
    queue = DeliveryQueue(retry=QUICK, **kwargs)
    await queue.initialize()
    return queue


def request(queue, calls, endpoint="sendMessage", chat_id=GROUP, priority=None, label=None):
    async def callback(name):
        calls.append(name)
        return True

    data = {"chat_id": chat_id, "text": label or endpoint}
    return queue.process_request(callback, (label or endpoint,), {}, endpoint, data, priority)


async def test_only_posting_requests_wait_for_the_group_limit():
    queue = await make_queue(group_burst=1, group_interval_s=3600)
    calls: list[str] = []
    await request(queue, calls)  # uses the group's one message this hour
    # Looking up a member or editing a message in the same group does not wait...
    await asyncio.wait_for(request(queue, calls, "getChatMember"), timeout=5)
    await asyncio.wait_for(request(queue, calls, "editMessageText"), timeout=5)
    # ...but a second new message does.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(request(queue, calls), timeout=0.3)
    assert calls == ["sendMessage", "getChatMember", "editMessageText"]
    await queue.shutdown()


async def test_a_safety_message_skips_the_groups_line():
    queue = await make_queue(group_burst=1, group_interval_s=0.05)
    calls: list[str] = []
    await request(queue, calls, label="first")  # the burst is used up
    waiting = [
        asyncio.ensure_future(request(queue, calls, priority=Priority.ROUTINE, label=f"r{i}"))
        for i in range(5)
    ]
    await asyncio.sleep(0)
    safety = asyncio.ensure_future(request(queue, calls, priority=Priority.SAFETY, label="care"))
    await asyncio.gather(*waiting, safety)
    # Everyone waiting is served in order of importance, then of arrival.
    assert calls == ["first", "care", "r0", "r1", "r2", "r3", "r4"]
    await queue.shutdown()


async def test_a_full_group_queue_drops_the_least_important_message_first():
    queue = await make_queue(group_burst=1, group_interval_s=0.05, group_queue_cap=3)
    calls: list[str] = []
    await request(queue, calls, label="first")
    interactive = asyncio.ensure_future(
        request(queue, calls, priority=Priority.INTERACTIVE, label="answer")
    )
    routine = [
        asyncio.ensure_future(request(queue, calls, priority=Priority.ROUTINE, label=f"r{i}"))
        for i in range(2)
    ]
    await asyncio.sleep(0)
    # The queue is full (3): a fourth, more important message pushes out the newest routine.
    care = asyncio.ensure_future(request(queue, calls, priority=Priority.SAFETY, label="care"))
    results = await asyncio.gather(interactive, *routine, care, return_exceptions=True)
    assert isinstance(results[2], SendDropped)
    assert calls == ["first", "care", "answer", "r0"]
    # A routine message arriving at a queue full of more important ones is the one dropped.
    more = [
        asyncio.ensure_future(request(queue, calls, priority=Priority.SAFETY, label=f"s{i}"))
        for i in range(3)
    ]
    await asyncio.sleep(0)
    with pytest.raises(SendDropped):
        await request(queue, calls, priority=Priority.ROUTINE, label="late")
    # Safety is never dropped: the queue takes it beyond its cap.
    extra = asyncio.ensure_future(request(queue, calls, priority=Priority.SAFETY, label="s3"))
    await asyncio.gather(*more, extra)
    assert calls[-4:] == ["s0", "s1", "s2", "s3"]
    assert queue.dropped == 2
    await queue.shutdown()


async def test_transient_errors_are_retried_and_4xx_are_not():
    queue = await make_queue(pacing=False)
    answers = [NetworkError("Bad Gateway"), TimedOut(), True]
    tries: list[int] = []

    async def flaky():
        tries.append(1)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    data = {"chat_id": 5}
    assert await queue.process_request(flaky, (), {}, "sendMessage", data, None) is True
    assert len(tries) == 3

    for refusal in (BadRequest("Bad Request: message is too long"), Forbidden("blocked")):
        tries.clear()

        async def refused(refusal=refusal):
            tries.append(1)
            raise refusal

        with pytest.raises(type(refusal)):
            await queue.process_request(refused, (), {}, "sendMessage", data, None)
        assert len(tries) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own
async def test_retries_stop_within_the_budget_and_429_is_honoured():
    queue = await make_queue(pacing=False)
    tries: list[int] = []

    async def down():
        tries.append(1)
        raise NetworkError("Bad Gateway")

    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(NetworkError):
        await queue.process_request(down, (), {}, "answerCallbackQuery", {}, None)
    assert loop.time() - started < 2 and len(tries) >= 3

    answers = [RetryAfter(timedelta(seconds=0.05)), True]

    async def flooded():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert await queue.process_request(flooded, (), {}, "sendMessage", {"chat_id": 5}, None)


async def test_close_fails_whatever_waits_and_keeps_safety_messages():
    queue = await make_queue(group_burst=1, group_interval_s=3600)
    kept: list[tuple] = []

    async def keep(chat_id, method, params, about):
        kept.append((chat_id, method, params["text"]))

    queue.keeper = keep
    calls: list[str] = []
    await request(queue, calls, label="first")
    routine = asyncio.ensure_future(request(queue, calls, priority=Priority.ROUTINE, label="r"))
    care = asyncio.ensure_future(request(queue, calls, priority=Priority.SAFETY, label="care"))
    await asyncio.sleep(0)
    await asyncio.wait_for(queue.close(), timeout=1)
    results = await asyncio.wait_for(asyncio.gather(routine, care, return_exceptions=True), 1)
    assert isinstance(results[0], SendAborted)
    assert isinstance(results[1], SendDeferred)
    assert kept == [(GROUP, "sendMessage", "care")]
    assert calls == ["first"]
    # After the close nothing waits: a message with no free slot fails at once.
    with pytest.raises(SendAborted):
        await asyncio.wait_for(request(queue, calls, label="after"), timeout=1)


async def test_a_safety_message_that_outlasts_the_retries_is_kept():
    queue = await make_queue(pacing=False)
    kept: list[int] = []

    async def keep(chat_id, method, params, about):
        kept.append((chat_id, about))

    queue.keeper = keep

    async def down():
        raise NetworkError("Bad Gateway")

    with pytest.raises(SendDeferred):
        await queue.process_request(
            down, (), {}, "sendMessage", {"chat_id": 42, "text": "x"}, Priority.SAFETY
        )
    with pytest.raises(NetworkError):
        await queue.process_request(down, (), {}, "sendMessage", {"chat_id": 43, "text": "y"}, None)
    assert kept == [(42, 42)]  # a care message is filed under the person it goes to


async def test_idle_groups_are_forgotten():
    queue = await make_queue(group_burst=1, group_interval_s=0.001, overall_per_second=1e6)
    calls: list[str] = []
    for index in range(600):
        await request(queue, calls, chat_id=-(10**6) - index)
    await asyncio.sleep(0.01)
    for index in range(300):
        await request(queue, calls, chat_id=-(10**7) - index)
    assert len(queue.groups) < 600


async def test_one_private_chat_gets_about_one_message_a_second_safety_first():
    """Telegram's limit for one chat: a short burst, then about one a second. Other
    private chats do not wait behind it, and a safety message skips its line."""
    queue = await make_queue(private_burst=2, private_interval_s=3600)
    calls: list[str] = []
    await request(queue, calls, chat_id=7, label="a1")
    await request(queue, calls, chat_id=7, label="a2")  # the burst is used up
    waiting = asyncio.ensure_future(request(queue, calls, chat_id=7, label="a3"))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(waiting), timeout=0.2)
    # Another person's chat has its own allowance.
    await asyncio.wait_for(request(queue, calls, chat_id=8, label="b1"), timeout=5)
    assert calls == ["a1", "a2", "b1"]
    # When chat 7's next slot comes, the care message that arrived later goes first.
    care = asyncio.ensure_future(
        request(queue, calls, chat_id=7, priority=Priority.SAFETY, label="care")
    )
    await asyncio.sleep(0)
    lane = queue.privates[7]
    lane.interval = 0.05  # the hour is over
    lane.timer.cancel()
    lane.timer = None
    lane.wake_later()
    await asyncio.wait_for(asyncio.gather(waiting, care), timeout=5)
    assert calls == ["a1", "a2", "b1", "care", "a3"]
    await queue.shutdown()


async def test_private_chats_are_paced_near_one_message_a_second():
    queue = await make_queue(private_burst=1, private_interval_s=0.05)
    calls: list[str] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    for index in range(5):
        await request(queue, calls, chat_id=9, label=f"m{index}")
    # One at once, then one per interval: four intervals at least.
    assert loop.time() - started >= 4 * 0.05 * 0.9
    assert calls == [f"m{i}" for i in range(5)]
    await queue.shutdown()


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own
async def test_a_429_in_one_private_chat_does_not_hold_the_others():
    queue = await make_queue(private_burst=5, private_interval_s=0.001)
    calls: list[str] = []
    answers = [RetryAfter(timedelta(seconds=3600)), True]

    async def flooded():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    flooding = asyncio.ensure_future(
        queue.process_request(flooded, (), {}, "sendMessage", {"chat_id": 11}, None)
    )
    # The 429 exceeds the budget: it fails, and only chat 11 is paused.
    with pytest.raises(RetryAfter):
        await asyncio.wait_for(flooding, timeout=5)
    await asyncio.wait_for(request(queue, calls, chat_id=12, label="other"), timeout=5)
    assert calls == ["other"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(request(queue, calls, chat_id=11, label="same"), timeout=0.2)
    await queue.shutdown()


async def test_idle_private_chats_are_forgotten():
    queue = await make_queue(private_burst=1, private_interval_s=0.001, overall_per_second=1e6)
    calls: list[str] = []
    for index in range(600):
        await request(queue, calls, chat_id=10**6 + index)
    await asyncio.sleep(0.01)
    for index in range(300):
        await request(queue, calls, chat_id=10**7 + index)
    assert len(queue.privates) < 600
