-- Random public references for every record button data names (a meeting, an
-- evaluation, a WHO-5 session, a coach suggestion, a safety event or alert), so no
-- identifier a user can see in a button is a guessable sequential number (groups
-- and agenda items got theirs in 0011). Rows made before this migration get one
-- here; every new row gets one from the database itself, whoever inserts it
-- (SQLite: a trigger; PostgreSQL: a volatile column default). storage/refs.py reads them.
ALTER TABLE meetings ADD COLUMN ref TEXT;
UPDATE meetings SET ref = lower(hex(randomblob(9)));
CREATE UNIQUE INDEX meetings_by_ref ON meetings(ref);
CREATE TRIGGER meetings_get_ref AFTER INSERT ON meetings WHEN NEW.ref IS NULL
BEGIN
    UPDATE meetings SET ref = lower(hex(randomblob(9))) WHERE id = NEW.id;
END;
ALTER TABLE evaluations ADD COLUMN ref TEXT;
UPDATE evaluations SET ref = lower(hex(randomblob(9)));
CREATE UNIQUE INDEX evaluations_by_ref ON evaluations(ref);
CREATE TRIGGER evaluations_get_ref AFTER INSERT ON evaluations WHEN NEW.ref IS NULL
BEGIN
    UPDATE evaluations SET ref = lower(hex(randomblob(9))) WHERE id = NEW.id;
END;
ALTER TABLE who5_sessions ADD COLUMN ref TEXT;
UPDATE who5_sessions SET ref = lower(hex(randomblob(9)));
CREATE UNIQUE INDEX who5_sessions_by_ref ON who5_sessions(ref);
CREATE TRIGGER who5_sessions_get_ref AFTER INSERT ON who5_sessions WHEN NEW.ref IS NULL
BEGIN
    UPDATE who5_sessions SET ref = lower(hex(randomblob(9))) WHERE id = NEW.id;
END;
ALTER TABLE coach_suggestions ADD COLUMN ref TEXT;
UPDATE coach_suggestions SET ref = lower(hex(randomblob(9)));
CREATE UNIQUE INDEX coach_suggestions_by_ref ON coach_suggestions(ref);
CREATE TRIGGER coach_suggestions_get_ref AFTER INSERT ON coach_suggestions WHEN NEW.ref IS NULL
BEGIN
    UPDATE coach_suggestions SET ref = lower(hex(randomblob(9))) WHERE id = NEW.id;
END;
ALTER TABLE safety_events ADD COLUMN ref TEXT;
UPDATE safety_events SET ref = lower(hex(randomblob(9)));
CREATE UNIQUE INDEX safety_events_by_ref ON safety_events(ref);
CREATE TRIGGER safety_events_get_ref AFTER INSERT ON safety_events WHEN NEW.ref IS NULL
BEGIN
    UPDATE safety_events SET ref = lower(hex(randomblob(9))) WHERE id = NEW.id;
END;
ALTER TABLE safety_alerts ADD COLUMN ref TEXT;
UPDATE safety_alerts SET ref = lower(hex(randomblob(9)));
CREATE UNIQUE INDEX safety_alerts_by_ref ON safety_alerts(ref);
CREATE TRIGGER safety_alerts_get_ref AFTER INSERT ON safety_alerts WHEN NEW.ref IS NULL
BEGIN
    UPDATE safety_alerts SET ref = lower(hex(randomblob(9))) WHERE id = NEW.id;
END;
