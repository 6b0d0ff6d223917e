-- What the bot sent while handling one update or running one job, kept until
-- it is handled (PostgreSQL with several workers; docs/postgres.md). When a
-- worker dies midway, the worker that handles the update (or runs the job)
-- again answers those calls from here instead of sending them twice.
-- Ids only: a sent message's id, date and chat, never its text.
CREATE TABLE sent_effects (
    origin       TEXT NOT NULL,          -- 'u' an update, 'j' a scheduled job
    origin_id    INTEGER NOT NULL,       -- the update's or the job's id
    seq          INTEGER NOT NULL,       -- the call's number within it
    method       TEXT NOT NULL,          -- the Bot API method
    chat_id      INTEGER,                -- the chat it went to (if any)
    result       TEXT NOT NULL,          -- Telegram's answer (JSON, trimmed)
    sent_at      TEXT NOT NULL,
    PRIMARY KEY (origin, origin_id, seq)
);
CREATE INDEX sent_effects_sent_at ON sent_effects(sent_at);
