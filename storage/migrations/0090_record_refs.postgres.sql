-- PostgreSQL twin of 0090_record_refs.sql: a volatile default fills old and new rows
-- (gen_random_uuid: a strong random source, PostgreSQL 13+).
-- Random public references for every record button data names (a meeting, an
-- evaluation, a WHO-5 session, a coach suggestion, a safety event or alert), so no
-- identifier a user can see in a button is a guessable sequential number (groups
-- and agenda items got theirs in 0011). Rows made before this migration get one
-- here; every new row gets one from the database itself, whoever inserts it
-- (SQLite: a trigger; PostgreSQL: a volatile column default). storage/refs.py reads them.
ALTER TABLE meetings ADD COLUMN ref TEXT DEFAULT substr(md5(gen_random_uuid()::text), 1, 18);
CREATE UNIQUE INDEX meetings_by_ref ON meetings(ref);
ALTER TABLE evaluations ADD COLUMN ref TEXT DEFAULT substr(md5(gen_random_uuid()::text), 1, 18);
CREATE UNIQUE INDEX evaluations_by_ref ON evaluations(ref);
ALTER TABLE who5_sessions ADD COLUMN ref TEXT DEFAULT substr(md5(gen_random_uuid()::text), 1, 18);
CREATE UNIQUE INDEX who5_sessions_by_ref ON who5_sessions(ref);
ALTER TABLE coach_suggestions ADD COLUMN ref TEXT DEFAULT substr(md5(gen_random_uuid()::text), 1, 18);
CREATE UNIQUE INDEX coach_suggestions_by_ref ON coach_suggestions(ref);
ALTER TABLE safety_events ADD COLUMN ref TEXT DEFAULT substr(md5(gen_random_uuid()::text), 1, 18);
CREATE UNIQUE INDEX safety_events_by_ref ON safety_events(ref);
ALTER TABLE safety_alerts ADD COLUMN ref TEXT DEFAULT substr(md5(gen_random_uuid()::text), 1, 18);
CREATE UNIQUE INDEX safety_alerts_by_ref ON safety_alerts(ref);
