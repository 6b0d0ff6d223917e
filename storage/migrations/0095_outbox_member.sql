-- The person a kept safety message is about (the member whose message set it off, or
-- the person it is addressed to): a member's /forgetme deletes what still waits about
-- them (storage/data_rights.py finds the column by its name), a facilitator alert
-- quoting them included.
ALTER TABLE outbox ADD COLUMN user_id INTEGER;
CREATE INDEX outbox_user ON outbox(user_id);
