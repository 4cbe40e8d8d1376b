-- 0003: incidents, their tasks and timeline, the event log behind live
-- updates, and full-text search that works for Chinese (trigram).

CREATE TABLE incident_counter (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
) STRICT;

CREATE TABLE incident (
  id              INTEGER PRIMARY KEY,
  number          TEXT    NOT NULL UNIQUE,
  title           TEXT    NOT NULL,
  description     TEXT    NOT NULL DEFAULT '',
  impact          TEXT    NOT NULL DEFAULT '',
  category        TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('reported', 'acknowledged',
                    'active', 'dismissed', 'resolved', 'closed', 'reviewed')),
  level_rank      INTEGER NOT NULL DEFAULT 0,
  level_key       TEXT    NOT NULL DEFAULT '',
  proposed_level  TEXT    NOT NULL DEFAULT '',
  is_drill        INTEGER NOT NULL DEFAULT 0,
  reporter_id     INTEGER NOT NULL REFERENCES users(id),
  commander_id    INTEGER REFERENCES users(id),
  plan_version_id INTEGER NOT NULL REFERENCES plan_version(id),
  detected_ms     INTEGER NOT NULL,
  reported_ms     INTEGER NOT NULL,
  acked_ms        INTEGER NOT NULL DEFAULT 0,
  activated_ms    INTEGER NOT NULL DEFAULT 0,
  resolved_ms     INTEGER NOT NULL DEFAULT 0,
  closed_ms       INTEGER NOT NULL DEFAULT 0,
  reviewed_ms     INTEGER NOT NULL DEFAULT 0,
  dismissed_ms    INTEGER NOT NULL DEFAULT 0,
  ack_min         INTEGER NOT NULL DEFAULT 0,
  activate_min    INTEGER NOT NULL DEFAULT 0,
  resolve_min     INTEGER NOT NULL DEFAULT 0,
  breaches        INTEGER NOT NULL DEFAULT 0,
  public          INTEGER NOT NULL DEFAULT 0,
  public_summary  TEXT    NOT NULL DEFAULT '',
  summary         TEXT    NOT NULL DEFAULT '',
  review_json     TEXT    NOT NULL DEFAULT '',
  updated_ms      INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_status ON incident(status);
CREATE INDEX incident_reported ON incident(reported_ms);

CREATE TABLE task (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incident(id),
  title       TEXT    NOT NULL,
  group_key   TEXT    NOT NULL,
  assignee_id INTEGER REFERENCES users(id),
  status      TEXT    NOT NULL CHECK (status IN ('todo', 'doing', 'done', 'blocked')),
  due_ms      INTEGER NOT NULL DEFAULT 0,
  notes       TEXT    NOT NULL DEFAULT '',
  origin      TEXT    NOT NULL DEFAULT '',   -- 'measure:<level>', 'review', ''
  created_by  INTEGER NOT NULL,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX task_incident ON task(incident_id);

-- The timeline is immutable: rows are only ever added.
CREATE TABLE timeline (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incident(id),
  at_ms       INTEGER NOT NULL,
  actor_id    INTEGER NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('report', 'status', 'level', 'note',
                'task', 'notification', 'bulletin', 'alert', 'breach')),
  text        TEXT    NOT NULL,
  data        TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX timeline_incident ON timeline(incident_id, id);
CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline
  BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;
CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline
  BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;

-- Live updates: one row per change, in commit order; ids are the SSE ids.
CREATE TABLE event (
  id          INTEGER PRIMARY KEY,
  at_ms       INTEGER NOT NULL,
  kind        TEXT    NOT NULL,
  incident_id INTEGER NOT NULL DEFAULT 0,
  data        TEXT    NOT NULL
) STRICT;

-- Search over title, description, notes and timeline text. The trigram
-- tokenizer matches any substring of 3 or more characters, Chinese too.
-- Two-character queries (common in Chinese: 主库, 宕机) use a second index
-- of the same text cut into overlapping pairs ("主库宕机" -> "主库 库宕
-- 宕机"), one token each; a single character falls back to LIKE.
CREATE VIRTUAL TABLE incident_fts USING fts5(title, body, tokenize = 'trigram');
CREATE VIRTUAL TABLE incident_fts2 USING fts5(pairs, tokenize = 'unicode61');
