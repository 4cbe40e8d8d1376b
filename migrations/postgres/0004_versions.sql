-- 0004: versions. Every object a person edits carries the version of
-- its row (1 when made, one more at each write) and who wrote it last
-- (a user id; NULL: the system, or nobody since it was made), so that a
-- write made from a stale copy is refused and names who changed it.
-- updated_by is a plain id, not a foreign key: users name each other
-- (an administrator edits a user), and a copy moves rows in id order.

ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE org_group ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE plan_version ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE incident ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE task ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE channel ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE rotation ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE supply ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE drill ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
ALTER TABLE integration ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_by bigint;
