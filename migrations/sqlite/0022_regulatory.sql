-- 0022: the duty to report to regulators (《国家网络安全事件报告管理办法》).
-- The organisation says what kind of operator it is, whom it reports to
-- and which days are working days; an incident keeps its obligation as
-- JSON (app/regulatory.c) with the time of its next reminder and the time
-- it opened (the record's year), each indexed only where set; the reports
-- recorded are rows nobody changes.

ALTER TABLE organisation ADD COLUMN operator_type TEXT NOT NULL DEFAULT 'other'
  CHECK (operator_type IN ('cii', 'central', 'other'));
ALTER TABLE organisation ADD COLUMN regulators TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organisation ADD COLUMN calendar TEXT NOT NULL DEFAULT '{}';

ALTER TABLE incident ADD COLUMN regulatory TEXT NOT NULL DEFAULT '';
ALTER TABLE incident ADD COLUMN reg_next_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident ADD COLUMN reg_opened_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX incident_reg_next ON incident(reg_next_ms) WHERE reg_next_ms > 0;
CREATE INDEX incident_reg_opened ON incident(reg_opened_ms)
  WHERE reg_opened_ms > 0;

CREATE TABLE regulatory_report (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incident(id),
  n           INTEGER NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('first', 'follow_up', 'final')),
  recipient   TEXT    NOT NULL,
  via         TEXT    NOT NULL
              CHECK (via IN ('phone', 'fax', 'email', 'platform', 'letter')),
  sent_ms     INTEGER NOT NULL,
  content     TEXT    NOT NULL,
  changes     TEXT    NOT NULL DEFAULT '[]',
  on_time     INTEGER,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  recorded_ms INTEGER NOT NULL,
  UNIQUE (incident_id, n)
) STRICT;

-- What was reported stays as it was: a correction is a new follow-up.
CREATE TRIGGER regulatory_report_fixed BEFORE UPDATE ON regulatory_report
BEGIN
  SELECT RAISE(ABORT, 'regulatory reports are immutable');
END;
CREATE TRIGGER regulatory_report_kept BEFORE DELETE ON regulatory_report
BEGIN
  SELECT RAISE(ABORT, 'regulatory reports are immutable');
END;
