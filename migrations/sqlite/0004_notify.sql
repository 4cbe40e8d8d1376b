-- 0004: notifications: channels, the outbox, duty rosters, escalation.

CREATE TABLE channel (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,
  kind           TEXT    NOT NULL CHECK (kind IN ('email', 'webhook', 'slack',
                   'dingtalk', 'wecom', 'feishu')),
  config         TEXT    NOT NULL,      -- JSON; secrets never leave the server
  rate_burst     INTEGER NOT NULL DEFAULT 0,   -- 0: the kind's default
  rate_period_ms INTEGER NOT NULL DEFAULT 0,
  enabled        INTEGER NOT NULL DEFAULT 1,
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL
) STRICT;

CREATE TABLE group_channel (
  group_id   INTEGER NOT NULL REFERENCES org_group(id),
  channel_id INTEGER NOT NULL REFERENCES channel(id),
  PRIMARY KEY (group_id, channel_id)
) STRICT;

-- The outbox: written in the transaction of the change that causes it.
CREATE TABLE notification (
  id             INTEGER PRIMARY KEY,
  incident_id    INTEGER NOT NULL DEFAULT 0,
  event          TEXT    NOT NULL,
  tier           INTEGER NOT NULL DEFAULT -1,
  channel_id     INTEGER NOT NULL REFERENCES channel(id),
  user_id        INTEGER REFERENCES users(id),
  recipient      TEXT    NOT NULL,
  locale         TEXT    NOT NULL,
  subject        TEXT    NOT NULL,
  text           TEXT    NOT NULL,
  markdown       TEXT    NOT NULL,
  link           TEXT    NOT NULL,
  ack_link       TEXT    NOT NULL DEFAULT '',
  idem_key       TEXT    NOT NULL UNIQUE,
  ack_hash       TEXT    UNIQUE,
  ack_expires_ms INTEGER NOT NULL DEFAULT 0,
  acked_ms       INTEGER NOT NULL DEFAULT 0,
  acked_by       TEXT    NOT NULL DEFAULT '',
  state          TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed',
                   'merged')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  next_ms        INTEGER NOT NULL,
  last_error     TEXT    NOT NULL DEFAULT '',
  created_ms     INTEGER NOT NULL,
  sent_ms        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX notification_due ON notification(state, next_ms);
CREATE INDEX notification_incident ON notification(incident_id);

CREATE TABLE rotation (
  id            INTEGER PRIMARY KEY,
  group_id      INTEGER NOT NULL REFERENCES org_group(id),
  name          TEXT    NOT NULL,
  start_ms      INTEGER NOT NULL,
  shift_minutes INTEGER NOT NULL CHECK (shift_minutes > 0),
  time_zone     TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
  members       TEXT    NOT NULL,      -- JSON array of user ids, in order
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX rotation_group ON rotation(group_id);

CREATE TABLE duty_override (
  id          INTEGER PRIMARY KEY,
  rotation_id INTEGER NOT NULL REFERENCES rotation(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  start_ms    INTEGER NOT NULL,
  end_ms      INTEGER NOT NULL CHECK (end_ms > start_ms),
  created_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX duty_override_rotation ON duty_override(rotation_id, start_ms);

-- The reporting chain: which tiers were told (a bit each), and when a
-- message about the report was acknowledged (escalation stops).
ALTER TABLE incident ADD COLUMN esc_tiers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident ADD COLUMN esc_acked_ms INTEGER NOT NULL DEFAULT 0;
