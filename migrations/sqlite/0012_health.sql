-- 0012: one row that /healthz rewrites to prove the store can still
-- write (a full disk or a read-only file system shows as 503).

CREATE TABLE health (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  probed_ms INTEGER NOT NULL
) STRICT;
INSERT INTO health (id, probed_ms) VALUES (1, 0);
