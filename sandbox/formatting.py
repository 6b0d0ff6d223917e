"""Telegram's text rules: HTML / MarkdownV2 parsing into plain text + entities.

The bot must produce text Telegram accepts; parsing it here the way Telegram
does (allowed tags only, escapes, UTF-16 offsets) turns a formatting slip into
a test failure instead of a production "can't parse entities".
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024


class ParseError(Exception):
    """Becomes `Bad Request: can't parse entities: <message>`."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_ALLOWED_TAGS = set(_SIMPLE_TAGS) | {"span", "a", "blockquote", "tg-emoji"}
_TAG = re.compile(r"^([a-zA-Z][a-zA-Z0-9-]*)(.*)$", re.S)
_ATTR = re.compile(r"""\s*([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _attributes(rest: str, src: str, at: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    rest = rest.rstrip().rstrip("/")
    while pos < len(rest):
        match = _ATTR.match(rest, pos)
        if not match or match.end() == pos:
            raise ParseError(
                f"Can't parse attributes of a tag at byte offset {_byte_offset(src, at)}"
            )
        value = next((g for g in match.group(3, 4, 5) if g is not None), "")
        attrs[match.group(1).lower()] = _unescape_attr(value)
        pos = match.end()
    return attrs


def _unescape_attr(value: str) -> str:
    return _HTML_ENTITY.sub(lambda m: _decode_entity(m.group(1)), value)


def _decode_entity(body: str) -> str:
    if body.startswith("#x"):
        return chr(int(body[2:], 16))
    if body.startswith("#"):
        return chr(int(body[1:]))
    return _NAMED[body]


def _entity_for(tag: str, attrs: dict[str, str], src: str, at: int) -> dict[str, Any] | None:
    if tag in _SIMPLE_TAGS:
        return {"type": _SIMPLE_TAGS[tag]}
    if tag == "span":
        if attrs.get("class") != "tg-spoiler":
            raise ParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(src, at)}'
            )
        return {"type": "spoiler"}
    if tag == "a":
        href = attrs.get("href", "")
        if not href:
            return None
        user = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user:
            return {"type": "text_mention", "user": {"id": int(user.group(1))}}
        return {"type": "text_link", "url": href}
    if tag == "blockquote":
        return {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
    if tag == "tg-emoji":
        if "emoji-id" not in attrs:
            raise ParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {_byte_offset(src, at)}'
            )
        return {"type": "custom_emoji", "custom_emoji_id": attrs["emoji-id"]}
    return None


_TAG_OR_ENTITY = re.compile(r"[<&]")


def parse_html(src: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entities) or raise ParseError."""
    out: list[str] = []
    length = 0  # UTF-16 units emitted so far
    stack: list[tuple[str, int, dict[str, Any] | None]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(src):
        char = src[i]
        if char == "<":
            end = src.find(">", i)
            if end == -1:
                raise ParseError(f"Unclosed start tag at byte offset {_byte_offset(src, i)}")
            inner = src[i + 1 : end]
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise ParseError(f"Unexpected end tag at byte offset {_byte_offset(src, i)}")
                tag, start, entity = stack.pop()
                if name != tag:
                    raise ParseError(
                        f'Unmatched end tag at byte offset {_byte_offset(src, i)}, expected "</{tag}>", found "</{name}>"'
                    )
                if entity is not None and length > start:
                    if entity["type"] == "code" and stack and stack[-1][0] == "pre":
                        language = entity.get("language")
                        if language and stack[-1][2] is not None:
                            stack[-1][2]["language"] = language
                        entity = None
                    if entity is not None:
                        if entity["type"] != "pre":
                            entity.pop("language", None)
                        entities.append({**entity, "offset": start, "length": length - start})
            else:
                match = _TAG.match(inner)
                name = match.group(1).lower() if match else inner.split(" ")[0]
                if not match or name not in _ALLOWED_TAGS:
                    raise ParseError(
                        f'Unsupported start tag "{name}" at byte offset {_byte_offset(src, i)}'
                    )
                attrs = _attributes(match.group(2), src, i)
                entity = _entity_for(name, attrs, src, i)
                if entity is not None and name == "code":
                    language = attrs.get("class", "")
                    if language.startswith("language-"):
                        entity["language"] = language[len("language-") :]
                stack.append((name, length, entity))
            i = end + 1
        elif char == "&":
            match = _HTML_ENTITY.match(src, i)
            if not match:
                raise ParseError(
                    f"Character '&' must be escaped as &amp; (byte offset {_byte_offset(src, i)})"
                )
            decoded = _decode_entity(match.group(1))
            out.append(decoded)
            length += utf16_len(decoded)
            i = match.end()
        else:  # a run of plain text up to the next tag or entity, in one step
            special = _TAG_OR_ENTITY.search(src, i)
            stop = special.start() if special else len(src)
            out.append(src[i:stop])
            length += utf16_len(src[i:stop])
            i = stop
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


_MD_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MD_TOGGLES = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def parse_markdown_v2(src: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 (bold, italic, underline, strike, spoiler, code, pre, links)."""
    out: list[str] = []
    length = 0
    open_: dict[str, tuple[int, int]] = {}  # marker -> (utf16 start, source index)
    links: list[int] = []
    entities: list[dict[str, Any]] = []

    def emit(text: str) -> None:
        nonlocal length
        out.append(text)
        length += utf16_len(text)

    i = 0
    while i < len(src):
        char = src[i]
        if char == "\\" and i + 1 < len(src):
            emit(src[i + 1])
            i += 2
            continue
        if src.startswith("```", i):
            end = src.find("```", i + 3)
            if end == -1:
                raise ParseError(
                    f"Can't find end of Pre entity at byte offset {_byte_offset(src, i)}"
                )
            body = src[i + 3 : end]
            language = ""
            if "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    language, body = first, rest
            body = re.sub(r"\\([`\\])", r"\1", body)
            start = length
            emit(body)
            entity: dict[str, Any] = {"type": "pre", "offset": start, "length": length - start}
            if language:
                entity["language"] = language
            entities.append(entity)
            i = end + 3
            continue
        if char == "`":
            end = src.find("`", i + 1)
            while end != -1 and src[end - 1] == "\\":
                end = src.find("`", end + 1)
            if end == -1:
                raise ParseError(
                    f"Can't find end of Code entity at byte offset {_byte_offset(src, i)}"
                )
            start = length
            emit(re.sub(r"\\([`\\])", r"\1", src[i + 1 : end]))
            entities.append({"type": "code", "offset": start, "length": length - start})
            i = end + 1
            continue
        marker = "__" if src.startswith("__", i) else "||" if src.startswith("||", i) else char
        if marker in _MD_TOGGLES:
            if marker in open_:
                start, _ = open_.pop(marker)
                if length > start:
                    entities.append(
                        {"type": _MD_TOGGLES[marker], "offset": start, "length": length - start}
                    )
            else:
                open_[marker] = (length, i)
            i += len(marker)
            continue
        if char == "[":
            links.append(length)
            i += 1
            continue
        if char == "]" and links:
            match = re.match(r"\]\(((?:[^()\\]|\\.)*)\)", src[i:])
            if not match:
                raise ParseError(f"Can't find end of a URL at byte offset {_byte_offset(src, i)}")
            start = links.pop()
            url = re.sub(r"\\(.)", r"\1", match.group(1))
            if length > start:
                user = re.fullmatch(r"tg://user\?id=(\d+)", url)
                if user:
                    entities.append(
                        {
                            "type": "text_mention",
                            "offset": start,
                            "length": length - start,
                            "user": {"id": int(user.group(1))},
                        }
                    )
                else:
                    entities.append(
                        {"type": "text_link", "offset": start, "length": length - start, "url": url}
                    )
            i += match.end()
            continue
        if char in _MD_RESERVED:
            raise ParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        emit(char)
        i += 1
    if open_:
        marker, (_, index) = next(iter(open_.items()))
        name = _MD_TOGGLES[marker].capitalize()
        raise ParseError(
            f"Can't find end of {name} entity at byte offset {_byte_offset(src, index)}"
        )
    if links:
        raise ParseError("Can't find end of a TextUrl entity")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def render(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown_v2(re.sub(r"([\\.!\-=+#|{}>()])", r"\\\1", text))
    return text, []


_AUTO = re.compile(
    r"(?P<cmd>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?)"
    r"|(?P<mention>(?<!\w)@[A-Za-z0-9_]{4,32})"
    r"|(?P<url>https?://[^\s<>]+)"
)


def auto_entities(text: str) -> list[dict[str, Any]]:
    """Entities a Telegram client adds to what a person types (commands, mentions, URLs)."""
    kinds = {"cmd": "bot_command", "mention": "mention", "url": "url"}
    entities = []
    for match in _AUTO.finditer(text):
        kind = match.lastgroup or "url"
        entities.append(
            {
                "type": kinds[kind],
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    return entities


def to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Escape plain text for HTML display (entities are not re-applied; for transcripts)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
