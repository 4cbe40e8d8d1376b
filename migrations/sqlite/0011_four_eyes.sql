-- Four eyes on plans: who edited each version, and when a membership of
-- the leadership group starts to count for approvals.

-- Everyone who imported, replaced or edited a version: none of them may
-- approve or reject it.
CREATE TABLE plan_version_editor (
  version_id INTEGER NOT NULL REFERENCES plan_version(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  first_ms   INTEGER NOT NULL,
  last_ms    INTEGER NOT NULL,
  PRIMARY KEY (version_id, user_id)
) STRICT;

-- Until now only the author was recorded.
INSERT INTO plan_version_editor (version_id, user_id, first_ms, last_ms)
  SELECT id, author_id, created_ms, updated_ms FROM plan_version;

-- A membership counts for plan approvals from this time on (0: at once;
-- memberships made before this migration count at once).
ALTER TABLE group_member ADD COLUMN review_from_ms INTEGER NOT NULL DEFAULT 0;
