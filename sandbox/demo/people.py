"""What the demo's people do often: find a button, answer an evaluation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.demo import Demo
    from sandbox.harness import Actor
    from sandbox.model import Message


def with_button(messages: list[Message], label: str) -> Message | None:
    """The newest message carrying a button labelled `label`."""
    for message in reversed(messages):
        if label in message.button_texts:
            return message
    return None


async def press_if_there(actor: Actor, messages: list[Message], label: str) -> bool:
    message = with_button(messages, label)
    if message is None:
        return False
    await actor.press(message, label)
    return True


async def advance_to(demo: Demo, moment: datetime) -> None:
    delta = moment - demo.sandbox.clock.now()
    if delta > timedelta(0):
        await demo.sandbox.advance(delta)


#: Button tags of the evaluation and of the WHO-5 questionnaire inside it.
TAGS = ("ev.", "w5.")


def _open_question(actor: Actor) -> Message | None:
    """The member's newest evaluation (or WHO-5) question still waiting."""
    for message in reversed(actor.dms()):
        if any(str(b.get("callback_data", "")).startswith(TAGS) for b in message.buttons):
            return message
    return None


async def answer_evaluation(actor: Actor, values: list[int], words: list[str] = ()) -> int:
    """Answer whatever evaluation questions come: scales with `values` in turn, written
    questions with `words` in turn (or Skip when none are left), other choices with
    their first option then Done. Returns the number of answers given."""
    values, words = list(values), list(words)
    answered = 0
    for _ in range(30):  # a questionnaire is far shorter; never loop forever
        question = _open_question(actor)
        if question is None:
            break
        labels = question.button_texts
        numbers = [label for label in labels if label.isdigit()]
        if numbers:
            value = str(values.pop(0) if values else 7)
            await actor.press(question, value if value in numbers else numbers[-1])
        elif len(labels) == 1 and words:  # a written question: only Skip to press
            await actor.dm(words.pop(0))
        elif str(question.buttons[0].get("callback_data", "")).startswith("w5."):
            await actor.press(question, labels[min(2, len(labels) - 1)])  # WHO-5: a middle answer
        else:  # a choice: the first option; a multiple choice then needs its last button
            await actor.press(question, labels[0] if len(labels) > 2 else labels[-1])
            if _open_question(actor) is question:
                await actor.press(question, question.button_texts[-1])
        answered += 1
        if _open_question(actor) is question:  # nothing moved on
            break
    return answered
