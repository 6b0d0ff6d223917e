-- The Bot API calls made while handling one update or running one job, kept
-- until it is handled (PostgreSQL with several workers; docs/postgres.md).
-- Each call is written just before it goes to Telegram and its answer just
-- after. When a worker dies midway, the worker that handles the update (or
-- runs the job) again does not make those calls again: it takes the answer
-- from here, or (no answer written: Telegram had the call) goes on without it.
-- Ids only: a sent message's id, date and chat, never its text.
CREATE TABLE sent_effects (
    origin       TEXT NOT NULL,          -- 'u' an update, 'j' a scheduled job
    origin_id    INTEGER NOT NULL,       -- the update's or the job's id
    seq          INTEGER NOT NULL,       -- the call's number within it
    method       TEXT NOT NULL,          -- the Bot API method
    chat_id      INTEGER,                -- the chat it went to (if any)
    digest       TEXT NOT NULL,          -- of the method and its parameters
    result       TEXT,                   -- Telegram's answer (JSON, trimmed); NULL: none yet
    sent_at      TEXT NOT NULL,
    PRIMARY KEY (origin, origin_id, seq)
);
CREATE INDEX sent_effects_sent_at ON sent_effects(sent_at);
