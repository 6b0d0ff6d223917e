"""What a trainee does on the studio page, as small steps for the browser tests."""

from __future__ import annotations

import os
from pathlib import Path

from core.i18n import translator

#: Where screenshots go: LINGKAR_ARTIFACTS (docs/img when regenerating the docs' pictures).
ARTIFACTS = Path(os.environ.get("LINGKAR_ARTIFACTS", "test-artifacts"))


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"studio-{name}.png"
    page.screenshot(path=str(path))
    return path


def say(page, where: str, text: str) -> None:
    """Type into the group box ('group') or the open private chat ('dm') and send."""
    box = page.locator(f"#{where}-composer input")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)].some(n => n.textContent.includes(text))",
        arg=[f"#{where}-messages .msg.mine .text", text],
    )


def write_as(page, name: str) -> None:
    value = page.locator("#as-select option", has_text=name).first.get_attribute("value")
    page.select_option("#as-select", value=value)


def open_private(page, name: str) -> None:
    page.locator("nav#people button", has_text=name).first.click()


def button(page, where: str, label: str):
    """The newest inline button with this label in a pane."""
    return page.locator(f"#{where}-messages .keyboard button", has_text=label).last


def press(page, where: str, label: str) -> None:
    target = button(page, where, label)
    target.wait_for()
    target.click()
    page.wait_for_load_state()


def wait_text(page, where: str, text: str) -> None:
    page.locator(f"#{where}-messages .msg", has_text=text).last.wait_for()


def clock_next_until(page, where: str, selector_text: str, limit: int = 12) -> None:
    """Press the clock's Next until a message containing `selector_text` shows up."""
    found = page.locator(f"#{where}-messages .msg", has_text=selector_text)
    for _ in range(limit):
        if found.count():
            return
        page.locator("#clock-next").click()
        page.wait_for_function("() => !document.querySelector('#clock-next').disabled")
    found.last.wait_for(timeout=2000)


def labels(lang: str):
    return translator(lang)
