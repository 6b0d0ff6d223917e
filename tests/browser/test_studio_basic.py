"""A trainee's first session in the studio: set a group up, run a meeting, see the
chart, download the report. Everything through the page, as a person would."""

from __future__ import annotations

from pathlib import Path

from studio_steps import (
    clock_next_until,
    labels,
    open_private,
    press,
    say,
    shot,
    wait_text,
    write_as,
)


def test_setup_meeting_chart_and_report(page, studio_server):
    t = labels("en")
    # Dewi opens the bot privately, like pressing START in Telegram.
    page.locator("#dm-messages .empty button").click()
    page.locator("#dm-messages .msg.bot").first.wait_for()

    # She sets the group up from its settings panel.
    say(page, "group", "/setup")
    press(page, "group", t.plain("lifecycle.btn_topic"))
    wait_text(page, "dm", "Teen Circle")
    say(page, "dm", "Exam stress")
    press(page, "group", t.plain("lifecycle.btn_format"))
    press(page, "group", t.plain("lifecycle.btn_series", n=6))
    press(page, "group", t.plain("lifecycle.btn_done"))
    wait_text(page, "group", "Exam stress")
    shot(page, "setup")

    # Anna follows the group's invitation link: it opens her private chat with the bot.
    write_as(page, "Anna")
    page.locator(
        "#group-messages .keyboard button.link", has_text=t.plain("lifecycle.btn_join")
    ).last.click()
    page.locator("nav#people button.active", has_text="Anna").wait_for()
    page.locator("#dm-messages .msg.bot").first.wait_for()
    write_as(page, "Dewi")
    open_private(page, "Dewi")

    # She plans the series; the clock jumps to the reminders and the opening.
    say(page, "group", "/schedule 2026-12-02 19:00 every 7 90")
    clock_next_until(page, "group", t.plain("meetings.here_button"))
    write_as(page, "Anna")
    press(page, "group", t.plain("meetings.here_button"))
    page.locator("#toasts .toast", has_text=t.plain("meetings.here_noted", name="Anna")).wait_for()
    say(page, "group", "I have not slept well all week.")
    write_as(page, "Ben")
    said = page.locator("#group-messages .msg", has_text="slept well").last
    said.hover()
    said.locator(".reply-btn").click()
    say(page, "group", "Same for me, Anna.")
    write_as(page, "Dewi")
    say(page, "group", "Anna, Ben, how is it to hear that from each other?")
    shot(page, "meeting")

    # The dynamics come privately, with the chart as a picture.
    say(page, "group", "/dynamics")
    photo = page.locator("#dm-messages img.photo").last
    photo.wait_for()
    page.wait_for_function(
        "() => { const i = [...document.querySelectorAll('#dm-messages img.photo')].pop();"
        " return i && i.complete && i.naturalWidth > 200; }"
    )
    shot(page, "chart")

    # The meeting ends; Dewi approves the summary, then asks for the service report.
    clock_next_until(page, "dm", t.plain("meetings.summary_approve_button"))
    press(page, "dm", t.plain("meetings.summary_approve_button"))
    wait_text(page, "group", "Anna")
    say(page, "dm", "/report")
    press(page, "dm", t.plain("evaluation.report.meeting_button", seq=1, date="").split("·")[0])
    press(page, "dm", t.plain("evaluation.report.make"))
    link = page.locator("#dm-messages a.doc").last
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    content = Path(download.path()).read_bytes()
    assert content[:2] == b"PK" and len(content) > 5000  # a real Word file (a zip)
    open_private(page, "Anna")
    shot(page, "private")
