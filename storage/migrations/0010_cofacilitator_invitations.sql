-- A co-facilitator role is granted only against one of these rows: made by a
-- facilitator's /cofacilitator, for one invitee, answered once before it expires.
-- The token (random) is what the invitation's buttons carry, never the row id.
CREATE TABLE cofacilitator_invitations (
    id          INTEGER PRIMARY KEY,
    token       TEXT NOT NULL UNIQUE,
    group_id    INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,  -- the invitee
    created_by  INTEGER,                                                       -- the inviter
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    answer      TEXT CHECK (answer IN ('accepted', 'declined'))
);
CREATE INDEX cofacilitator_invitations_by_group ON cofacilitator_invitations(group_id, user_id);
