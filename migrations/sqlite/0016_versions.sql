-- 0016: versions. Every object a person edits carries the version of
-- its row (1 when made, one more at each write) and who wrote it last
-- (a user id; NULL: the system, or nobody since it was made), so that a
-- write made from a stale copy is refused and names who changed it.
-- updated_by is a plain id, not a foreign key: users name each other
-- (an administrator edits a user), and a copy moves rows in id order.

ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN updated_by INTEGER;
ALTER TABLE org_group ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE org_group ADD COLUMN updated_by INTEGER;
ALTER TABLE plan_version ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plan_version ADD COLUMN updated_by INTEGER;
ALTER TABLE incident ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE incident ADD COLUMN updated_by INTEGER;
ALTER TABLE task ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE task ADD COLUMN updated_by INTEGER;
ALTER TABLE channel ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE channel ADD COLUMN updated_by INTEGER;
ALTER TABLE rotation ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE rotation ADD COLUMN updated_by INTEGER;
ALTER TABLE supply ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE supply ADD COLUMN updated_by INTEGER;
ALTER TABLE drill ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE drill ADD COLUMN updated_by INTEGER;
ALTER TABLE integration ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE integration ADD COLUMN updated_by INTEGER;
