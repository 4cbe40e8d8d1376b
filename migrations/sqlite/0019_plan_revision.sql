-- 0019: plan revision. A draft started from another version, or from
-- the review of an incident, keeps where it came from and the findings
-- it answers (findings: JSON [{incident_id, number, title}]). Reminders
-- to acknowledge a published version are counted per person: sent, and
-- when the last went out.

CREATE TABLE plan_version_basis (
  version_id  INTEGER PRIMARY KEY REFERENCES plan_version(id),
  from_n      INTEGER NOT NULL DEFAULT 0,
  incident_id INTEGER REFERENCES incident(id),
  findings    TEXT    NOT NULL DEFAULT '[]'
) STRICT;

CREATE TABLE plan_ack_reminder (
  version_id INTEGER NOT NULL REFERENCES plan_version(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  sent       INTEGER NOT NULL,
  last_ms    INTEGER NOT NULL,
  PRIMARY KEY (version_id, user_id)
) STRICT;
