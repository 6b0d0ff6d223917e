-- Private material for a facilitator the bot cannot reach yet (never pressed Start,
-- or blocked the bot): kept until they start the bot, then delivered and deleted.
CREATE TABLE private_deliveries (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    markup      TEXT,                -- the buttons, as Bot API JSON (signed for their DM)
    created_at  TEXT NOT NULL
);
CREATE INDEX private_deliveries_by_user ON private_deliveries(user_id);

-- The one request, in the group, to press Start: asked once per group and person
-- until they do.
CREATE TABLE start_requests (
    group_id  INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    asked_at  TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
