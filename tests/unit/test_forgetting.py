"""/forgetme in the dynamics counter: kept for the meetings open when asked, then let go."""

from __future__ import annotations

from services.forgetting import Forgetting


def test_a_person_is_kept_until_every_meeting_open_when_they_asked_is_over() -> None:
    forgetting = Forgetting()
    forgetting.forget(5, open_meetings=[1, 2])
    forgetting.meeting_over(1)
    assert 5 in forgetting.people
    forgetting.meeting_over(3)  # a meeting opened later changes nothing
    assert 5 in forgetting.people
    forgetting.meeting_over(2)
    assert 5 not in forgetting.people and len(forgetting) == 0


def test_nothing_is_kept_when_no_meeting_is_counted() -> None:
    forgetting = Forgetting()
    forgetting.forget(5, open_meetings=[])
    assert not forgetting.people and len(forgetting) == 0


def test_many_requests_over_many_meetings_leave_nothing_behind() -> None:
    forgetting = Forgetting()
    people = forgetting.people  # the set the counter reads is changed in place
    for meeting in range(1, 201):
        forgetting.forget(1000 + meeting, open_meetings=[meeting, meeting + 1])
        forgetting.meeting_over(meeting)
    assert people == {1200} and len(forgetting) == 1  # only the meeting still open keeps one
    forgetting.meeting_over(201)
    assert not people
