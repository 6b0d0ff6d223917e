-- Secrets the bot makes for itself at first start (e.g. the key that signs button
-- data), so they survive restarts and are shared by every process on this database.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at TEXT NOT NULL
);
