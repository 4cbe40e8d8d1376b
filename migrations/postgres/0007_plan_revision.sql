-- 0007: plan revision. A draft started from another version, or from
-- the review of an incident, keeps where it came from and the findings
-- it answers (findings: JSON [{incident_id, number, title}]). Reminders
-- to acknowledge a published version are counted per person: sent, and
-- when the last went out.

CREATE TABLE plan_version_basis (
  version_id  bigint PRIMARY KEY REFERENCES plan_version(id),
  from_n      bigint NOT NULL DEFAULT 0,
  incident_id bigint REFERENCES incident(id),
  findings    text   NOT NULL DEFAULT '[]'
);

CREATE TABLE plan_ack_reminder (
  version_id bigint NOT NULL REFERENCES plan_version(id),
  user_id    bigint NOT NULL REFERENCES users(id),
  sent       bigint NOT NULL,
  last_ms    bigint NOT NULL,
  PRIMARY KEY (version_id, user_id)
);
