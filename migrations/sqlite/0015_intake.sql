-- 0015: monitoring intake. An integration is a monitor that may post
-- alerts (its key's SHA-256 only is kept: key_hash, NULL once deleted);
-- an alert is one fingerprint's life in one incident; an alert group
-- is the alerts one incident takes, with what is not yet on its
-- timeline (pending, counted by alert name in pending_json).

CREATE TABLE integration (
  id                 INTEGER PRIMARY KEY,
  name               TEXT    NOT NULL,
  kind               TEXT    NOT NULL CHECK (kind IN ('alertmanager', 'grafana',
                       'events', 'heartbeat')),
  key_hash           TEXT    UNIQUE,
  key_prefix         TEXT    NOT NULL,
  enabled            INTEGER NOT NULL DEFAULT 1,
  created_by         INTEGER NOT NULL REFERENCES users(id),
  category           TEXT    NOT NULL DEFAULT '',
  level              TEXT    NOT NULL DEFAULT '',
  title_template     TEXT    NOT NULL DEFAULT '',
  group_by           TEXT    NOT NULL DEFAULT '[]',
  group_window_s     INTEGER NOT NULL DEFAULT 0,
  auto_dismiss       INTEGER NOT NULL DEFAULT 0,
  interval_s         INTEGER NOT NULL DEFAULT 0,
  rate_limit_per_min INTEGER NOT NULL,
  rules              TEXT    NOT NULL DEFAULT '[]',
  maintenance        TEXT    NOT NULL DEFAULT '[]',
  received           INTEGER NOT NULL DEFAULT 0,
  alerts_total       INTEGER NOT NULL DEFAULT 0,
  alerts_firing      INTEGER NOT NULL DEFAULT 0,
  last_received_ms   INTEGER NOT NULL DEFAULT 0,
  hb_missed          INTEGER NOT NULL DEFAULT 0,
  deleted_ms         INTEGER NOT NULL DEFAULT 0,
  created_ms         INTEGER NOT NULL,
  updated_ms         INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX integration_name ON integration(name) WHERE deleted_ms = 0;
-- The heartbeats the scheduler watches.
CREATE INDEX integration_heartbeat ON integration(last_received_ms)
  WHERE kind = 'heartbeat' AND deleted_ms = 0;

ALTER TABLE incident ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE incident ADD COLUMN integration_id INTEGER REFERENCES integration(id);

CREATE TABLE alert_group (
  id             INTEGER PRIMARY KEY,
  integration_id INTEGER NOT NULL REFERENCES integration(id),
  group_key      TEXT    NOT NULL,
  incident_id    INTEGER NOT NULL REFERENCES incident(id),
  first_ms       INTEGER NOT NULL,
  alerts         INTEGER NOT NULL DEFAULT 0,
  firing         INTEGER NOT NULL DEFAULT 0,
  pending        INTEGER NOT NULL DEFAULT 0,
  pending_json   TEXT    NOT NULL DEFAULT '{}',
  flushed_ms     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX alert_group_key ON alert_group(integration_id, group_key, id);
CREATE INDEX alert_group_pending ON alert_group(flushed_ms) WHERE pending > 0;

CREATE TABLE alert (
  id             INTEGER PRIMARY KEY,
  integration_id INTEGER NOT NULL REFERENCES integration(id),
  incident_id    INTEGER REFERENCES incident(id),
  group_id       INTEGER REFERENCES alert_group(id),
  fingerprint    TEXT    NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('firing', 'resolved')),
  severity       TEXT    NOT NULL,
  summary        TEXT    NOT NULL DEFAULT '',
  labels         TEXT    NOT NULL DEFAULT '{}',
  annotations    TEXT    NOT NULL DEFAULT '{}',
  source         TEXT,
  source_url     TEXT,
  details        TEXT,
  group_key      TEXT    NOT NULL DEFAULT '',
  count          INTEGER NOT NULL DEFAULT 1,
  suppressed     INTEGER NOT NULL DEFAULT 0,
  starts_ms      INTEGER NOT NULL,
  ends_ms        INTEGER NOT NULL DEFAULT 0,
  first_seen_ms  INTEGER NOT NULL,
  last_seen_ms   INTEGER NOT NULL,
  resolved_ms    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX alert_fingerprint ON alert(integration_id, fingerprint, id);
CREATE INDEX alert_incident ON alert(incident_id, id);
