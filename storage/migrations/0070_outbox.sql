-- Safety messages (care messages, crisis notices, facilitator alerts) that could not
-- be sent (the bot was stopping, or Telegram stayed unreachable through the retries):
-- kept until they are sent after the restart or by the next sweep, then deleted.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    method     TEXT NOT NULL,
    params     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_chat ON outbox(chat_id);
