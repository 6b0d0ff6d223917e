-- Updates received by any worker, kept until one worker has handled them
-- (PostgreSQL with several workers; docs/postgres.md). The update id is the key:
-- Telegram delivering one twice stores it once.
CREATE TABLE inbox (
    update_id    INTEGER PRIMARY KEY,
    chat_key     INTEGER NOT NULL,      -- whose order it keeps: the chat, else the person
    payload      TEXT NOT NULL,         -- the update as Telegram sent it (JSON)
    received_at  TEXT NOT NULL,
    handled_at   TEXT,
    handled_worker   INTEGER                -- the worker that handled it
);
CREATE INDEX inbox_pending ON inbox(handled_at, chat_key, update_id);
