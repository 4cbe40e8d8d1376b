-- 0002: sign-in limits kept in the database, shared by every node
-- (app/limits.h): one row per address, (address, login) pair or login.
-- tokens_u is a bucket's tokens in millionths.

CREATE TABLE signin_limits (
  kind       BIGINT NOT NULL,
  key        TEXT NOT NULL,
  tokens_u   BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  fails      BIGINT NOT NULL,
  decay_ms   BIGINT NOT NULL,
  next_ms    BIGINT NOT NULL,
  used_ms    BIGINT NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE INDEX signin_limits_used ON signin_limits (used_ms);
