-- 0013: every filter of the incident list served by an index, the timers'
-- pre-filters by small partial indexes, and single characters in the
-- pair index.
--
-- An index on one column holds the rowid after it, so (status) is
-- (status, id): a status filter reads its rows newest first and stops at
-- the page's end. The list statement names only the filters a call has,
-- and lets one of them drive (store/sql.c, inc_list_sql).
CREATE INDEX incident_level ON incident(level_key);
CREATE INDEX incident_category ON incident(category);
CREATE INDEX incident_drill ON incident(is_drill);

-- Reported-time ranges walk the ids (the list's order) between two ids
-- found in incident_reported. Ids are given in report order, and
-- reported_ms grows with them but for backdated rows (demo data, a clock
-- stepped back); skew is the most any row was reported before a row with
-- a smaller id, so bounds widened by it are exact (sql.c, inc_list_sql).
-- The trigger costs one probe of incident_reported per report.
CREATE TABLE incident_skew (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  ms INTEGER NOT NULL
) STRICT;
INSERT INTO incident_skew (id, ms)
  SELECT 1, coalesce(max(m - reported_ms), 0) FROM
    (SELECT reported_ms, max(reported_ms) OVER (ORDER BY id) AS m
       FROM incident);
CREATE TRIGGER incident_skew_grow AFTER INSERT ON incident
  WHEN NEW.reported_ms < (SELECT max(reported_ms) FROM incident)
  BEGIN
    UPDATE incident_skew SET ms = max(ms,
      (SELECT max(reported_ms) FROM incident) - NEW.reported_ms)
    WHERE id = 1;
  END;

-- The timers (Q_INC_DUE, Q_INC_UNACKED) look only at rows still waiting:
-- a row leaves these indexes once its breach is recorded or its report
-- acknowledged, so a tick costs what is due, not what is open.
CREATE INDEX incident_due_ack ON incident(status, reported_ms + ack_min * 60000)
  WHERE status = 'reported' AND ack_min > 0 AND (breaches & 1) = 0;
CREATE INDEX incident_due_activate
  ON incident(status, reported_ms + activate_min * 60000)
  WHERE status IN ('reported', 'acknowledged') AND activate_min > 0
    AND (breaches & 2) = 0;
CREATE INDEX incident_due_resolve
  ON incident(status, activated_ms + resolve_min * 60000)
  WHERE status = 'active' AND resolve_min > 0 AND (breaches & 4) = 0;
CREATE INDEX incident_unacked ON incident(status, esc_acked_ms)
  WHERE status = 'reported' AND esc_acked_ms = 0;

-- The pair index also holds every character as a token of its own, so a
-- one-character search is an index look-up like a two-character one
-- ("主库 db" -> "主 主库 库 d db b"). The ascii tokenizer splits at ASCII
-- punctuation and spaces only and folds the case of ASCII letters only,
-- as LIKE does: the same matches as before, now from the index. Rebuilt
-- from the trigram index's text with the backend's own function
-- (erms_pairs, store/sqlite-search.c), as new rows are written.
DROP TABLE incident_fts2;
CREATE VIRTUAL TABLE incident_fts2 USING fts5(pairs, tokenize = 'ascii');
INSERT INTO incident_fts2 (rowid, pairs)
  SELECT rowid, erms_pairs(title || ' ' || body) FROM incident_fts;

-- Each index in one segment: a search opens one reader per segment, so
-- the rebuilt pair index and the trigram index grown row by row answer
-- in about half the time (a one-off cost here, about 4 s per 150,000
-- incidents; later writes add segments that FTS5 merges as it goes).
INSERT INTO incident_fts2 (incident_fts2) VALUES ('optimize');
INSERT INTO incident_fts (incident_fts) VALUES ('optimize');
