"""Each rehearsal scenario in the browser, to its end and its debrief."""

from __future__ import annotations

from studio_steps import say, shot

MOVES = {
    "silent": "How are you feeling right now, here with each other?",
    "monopoliser": "Anna, thank you. I notice you carry a lot. What do the others feel?",
    "subgroup": "What is happening in the group right now, for all of you?",
    "crisis": "Chloe, I'm here with you. Let's talk.",
    "late_leave": "Welcome, Daniel. Ella, I'd like you to stay and tell us more.",
}


def _start(page, scenario_id: str) -> None:
    page.select_option("#scenario-select", value=scenario_id)
    title = page.locator("#scenario-select option:checked").inner_text()
    with page.expect_response("**/studio/api/scenario"):
        page.locator("#scenario-start").click()
    page.locator("#scenario-status h2", has_text=title).wait_for()
    page.wait_for_function("() => document.querySelector('#scenario-status').dataset.done === '0'")


def _until_done(page) -> None:
    for _ in range(8):
        if page.locator("#scenario-status[data-done='1']").count():
            return
        page.locator("#plus-5m").click()
        page.wait_for_function("() => !document.querySelector('#plus-5m').disabled")
    page.locator("#scenario-status[data-done='1']").wait_for(timeout=3000)


def test_every_scenario_plays_to_its_debrief(page):
    for scenario_id, move in MOVES.items():
        _start(page, scenario_id)
        page.locator("#plus-5m").click()
        page.wait_for_function("() => !document.querySelector('#plus-5m').disabled")
        if scenario_id == "monopoliser":
            shot(page, "scenario")
        say(page, "group", move)
        try:
            _until_done(page)
        except Exception:
            shot(page, f"failed-{scenario_id}")
            raise
        page.locator("#debrief-open").click()
        debrief = page.locator("#debrief")
        debrief.locator("a.doc").wait_for(timeout=30000)
        assert debrief.locator("img").count() == 1
        assert ".docx" in debrief.locator("a.doc").inner_text()
        if scenario_id == "crisis":
            assert "seconds after the disclosure" in debrief.inner_text()
            page.wait_for_function(
                "() => [...document.querySelectorAll('#debrief img')].every(i => i.complete)"
            )
            shot(page, "debrief")
        debrief.locator("button.close").click()
