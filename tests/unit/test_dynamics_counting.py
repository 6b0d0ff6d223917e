"""The counting rules on Telegram message objects, without a running bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Chat, Message, MessageEntity, PhotoSize, Sticker, User
from telegram.constants import MessageEntityType

from handlers.common import ANONYMOUS_ADMIN_ID
from handlers.dynamics.counting import count
from services.dynamics import DynamicsCounter, MeetingCount

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
GROUP = Chat(-100123, "supergroup", title="Circle", is_forum=True)
DEWI = User(1, "Dewi", False, username="dewi_f")
ANA = User(2, "Ana", False, username="ana_a")
BUDI = User(3, "Budi", False, username="budi_b")
BOT = User(99, "Lingkar", True, username="lingkar_bot")


def counter() -> tuple[DynamicsCounter, MeetingCount]:
    dynamics = DynamicsCounter(None)
    dynamics.request_flush = lambda: None  # no application here: nothing to write
    meeting = MeetingCount(7, 1, GROUP.id, T0)
    meeting.usernames = {"budi_b": BUDI.id}
    dynamics.by_chat[GROUP.id] = dynamics.by_meeting[7] = meeting
    return dynamics, meeting


def message(sender: User | None, text: str | None = None, *, minute: int = 1, **fields) -> Message:
    return Message(
        fields.pop("message_id", minute),
        T0 + timedelta(minutes=minute),
        GROUP,
        from_user=sender,
        text=text,
        **fields,
    )


def test_replies_mentions_and_what_is_not_an_exchange() -> None:
    dynamics, meeting = counter()
    first = message(DEWI, "Welcome all")
    assert count(dynamics, first)
    mention = MessageEntity(MessageEntityType.MENTION, 0, 7)
    assert count(
        dynamics, message(ANA, "@budi_b and you?", entities=[mention], reply_to_message=first)
    )
    text_mention = MessageEntity(MessageEntityType.TEXT_MENTION, 0, 3, user=ANA)
    assert count(dynamics, message(BUDI, "Ana yes", entities=[text_mention]))
    # a reply to oneself, to the bot, or a mention of a stranger: no exchange
    assert count(dynamics, message(BUDI, "again", reply_to_message=message(BUDI, "x")))
    assert count(dynamics, message(BUDI, "ok", reply_to_message=message(BOT, "prompt")))
    stranger = MessageEntity(MessageEntityType.MENTION, 0, 8)
    assert count(dynamics, message(BUDI, "@someone", entities=[stranger]))
    assert meeting.tally.edges == {(ANA.id, DEWI.id): 1, (ANA.id, BUDI.id): 1, (BUDI.id, ANA.id): 1}
    people = meeting.tally.people
    assert (people[ANA.id].replies_given, people[ANA.id].replies_received) == (2, 1)
    assert people[BUDI.id].messages == 4


def test_what_is_not_counted() -> None:
    dynamics, meeting = counter()
    command = MessageEntity(MessageEntityType.BOT_COMMAND, 0, 9)
    assert not count(dynamics, message(DEWI, "/dynamics", entities=[command]))
    assert not count(dynamics, message(BOT, "I am a bot"))
    assert not count(dynamics, message(ANA, None, new_chat_members=(BUDI,)))  # service
    channel = Chat(-100999, "channel", title="News")
    assert not count(dynamics, message(None, "from a channel", sender_chat=channel))
    other = Chat(-555, "group", title="Elsewhere")
    assert not count(
        dynamics, Message(1, T0, other, from_user=ANA, text="another group, no meeting")
    )
    assert meeting.tally.people == {}
    # ...but any word from a person breaks the group's silence
    assert meeting.tally.last_activity_at == T0 + timedelta(minutes=1)


def test_media_forwards_anonymous_admins_and_topics() -> None:
    dynamics, meeting = counter()
    sticker = Sticker("f", "u", 512, 512, False, False, "regular")
    assert count(dynamics, message(ANA, None, sticker=sticker))
    origin_message = message(DEWI, "original")
    assert count(
        dynamics,
        message(
            BUDI,
            "look at this one",
            reply_to_message=origin_message,
            forward_origin=None,
        ),
    )
    from telegram import MessageOriginUser

    forwarded = message(
        BUDI, "passed on words", forward_origin=MessageOriginUser(T0, sender_user=DEWI)
    )
    forwarded_reply = message(
        BUDI,
        "passed on words",
        forward_origin=MessageOriginUser(T0, sender_user=DEWI),
        reply_to_message=origin_message,
    )
    assert count(dynamics, forwarded) and count(dynamics, forwarded_reply)
    anonymous = message(User(ANONYMOUS_ADMIN_ID, "Group", True), "hello all", sender_chat=GROUP)
    assert count(dynamics, anonymous)
    assert count(dynamics, message(ANA, "to the admins", reply_to_message=anonymous))
    # in a forum topic, the topic's first message is not someone being addressed
    root = message(DEWI, None, message_id=50, forum_topic_created=None)
    in_topic = message(
        ANA, "in the topic", message_thread_id=50, is_topic_message=True, reply_to_message=root
    )
    assert count(dynamics, in_topic)
    people = meeting.tally.people
    assert (people[ANA.id].messages, people[ANA.id].words) == (3, 6)
    assert (people[BUDI.id].messages, people[BUDI.id].words) == (3, 10)
    assert people[ANONYMOUS_ADMIN_ID].replies_received == 1
    assert meeting.tally.edges == {(BUDI.id, DEWI.id): 1, (ANA.id, ANONYMOUS_ADMIN_ID): 1}


def test_forgotten_people_are_not_counted_again() -> None:
    dynamics, meeting = counter()
    dynamics.forgotten.add(ANA.id)
    assert not count(dynamics, message(ANA, "hello"))
    first = message(ANA, "old message")
    assert count(dynamics, message(BUDI, "hi", reply_to_message=first))
    assert ANA.id not in meeting.tally.people
    assert meeting.tally.edges == {}


def test_mentions_after_emoji_use_utf16_offsets() -> None:
    dynamics, meeting = counter()
    # "😀" is two UTF-16 units: the mention starts at offset 3, not 2
    mention = MessageEntity(MessageEntityType.MENTION, 3, 7)
    assert count(dynamics, message(ANA, "😀 @budi_b hi", entities=[mention]))
    caption_mention = MessageEntity(MessageEntityType.MENTION, 0, 7)
    photo = message(
        DEWI,
        None,
        caption="@budi_b look",
        caption_entities=[caption_mention],
        photo=(PhotoSize("p", "pu", 90, 90),),
    )
    assert count(dynamics, photo)  # media: one message, 0 words; the caption mention counts
    assert meeting.tally.people[DEWI.id].words == 0
    assert meeting.tally.edges == {(ANA.id, BUDI.id): 1, (DEWI.id, BUDI.id): 1}
