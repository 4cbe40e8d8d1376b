-- 0007: emergency drills (应急演练).

CREATE TABLE drill (
  id            INTEGER PRIMARY KEY,
  title         TEXT    NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('tabletop', 'live')),
  category      TEXT    NOT NULL,
  level         TEXT    NOT NULL DEFAULT '',
  scheduled_ms  INTEGER NOT NULL,
  minutes       INTEGER NOT NULL DEFAULT 60 CHECK (minutes > 0),
  location      TEXT    NOT NULL DEFAULT '',
  status        TEXT    NOT NULL DEFAULT 'planned',
  detail        TEXT    NOT NULL DEFAULT '{}',  -- participants, scenario, injects
  evaluation    TEXT    NOT NULL DEFAULT '',    -- JSON once evaluated
  incident_id   INTEGER REFERENCES incident(id),
  created_by    INTEGER NOT NULL,
  created_ms    INTEGER NOT NULL,
  started_ms    INTEGER NOT NULL DEFAULT 0,
  completed_ms  INTEGER NOT NULL DEFAULT 0,
  evaluated_ms  INTEGER NOT NULL DEFAULT 0,
  updated_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX drill_scheduled ON drill(scheduled_ms, id);

-- The year-end compliance warning sent to command HQ, once a year.
CREATE TABLE drill_notice (
  year   INTEGER PRIMARY KEY,
  at_ms  INTEGER NOT NULL
) STRICT;
