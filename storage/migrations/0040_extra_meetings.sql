-- A meeting started with /meeting start outside the plan is an extra one: it is
-- numbered after the planned meetings, so their numbers (#1..#N, as announced
-- to the group) never shift.
ALTER TABLE meetings ADD COLUMN extra INTEGER NOT NULL DEFAULT 0;
