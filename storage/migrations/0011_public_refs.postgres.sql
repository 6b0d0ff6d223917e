-- Random public references for what button data names (a group, an agenda item),
-- so no identifier a user can see is a guessable sequential number.
ALTER TABLE groups ADD COLUMN ref TEXT;
UPDATE groups SET ref = substr(md5(random()::text || id::text), 1, 18);
CREATE UNIQUE INDEX groups_by_ref ON groups(ref);
ALTER TABLE agenda_items ADD COLUMN ref TEXT;
UPDATE agenda_items SET ref = substr(md5(random()::text || id::text), 1, 18);
CREATE UNIQUE INDEX agenda_items_by_ref ON agenda_items(ref);
