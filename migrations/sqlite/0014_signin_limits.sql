-- 0014: sign-in limits kept in the database, for several nodes on one
-- database (app/limits.h): one row per address, (address, login) pair
-- or login. tokens_u is a bucket's tokens in millionths.

CREATE TABLE signin_limits (
  kind       INTEGER NOT NULL,
  key        TEXT NOT NULL,
  tokens_u   INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  fails      INTEGER NOT NULL,
  decay_ms   INTEGER NOT NULL,
  next_ms    INTEGER NOT NULL,
  used_ms    INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT;
CREATE INDEX signin_limits_used ON signin_limits (used_ms);
