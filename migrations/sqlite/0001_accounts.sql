-- 0001: accounts, groups, sessions, API tokens and the audit log.
-- Append-only: never edit a released migration; add the next number.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  email         TEXT    NOT NULL DEFAULT '',
  phone         TEXT    NOT NULL DEFAULT '',
  locale        TEXT    NOT NULL DEFAULT 'zh-CN',
  is_admin      INTEGER NOT NULL DEFAULT 0,
  disabled      INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT    NOT NULL,
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
) STRICT;

CREATE TABLE org_group (
  id          INTEGER PRIMARY KEY,
  key         TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('leadership', 'command', 'team')),
  duties_json TEXT    NOT NULL DEFAULT '[]',
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE group_member (
  group_id   INTEGER NOT NULL REFERENCES org_group(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  role       TEXT    NOT NULL CHECK (role IN ('lead', 'deputy', 'member')),
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX group_member_user ON group_member(user_id);

CREATE TABLE session (
  id           INTEGER PRIMARY KEY,
  secret_hash  TEXT    NOT NULL UNIQUE,
  csrf         TEXT    NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  created_ms   INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  revoked_ms   INTEGER
) STRICT;
CREATE INDEX session_user ON session(user_id);

CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  secret_hash  TEXT    NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  name         TEXT    NOT NULL,
  created_ms   INTEGER NOT NULL,
  last_used_ms INTEGER,
  expires_ms   INTEGER,
  revoked_ms   INTEGER
) STRICT;
CREATE INDEX api_token_user ON api_token(user_id);

CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at_ms     INTEGER NOT NULL,
  actor_id  INTEGER NOT NULL,
  action    TEXT    NOT NULL,
  object    TEXT    NOT NULL,
  summary   TEXT    NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
) STRICT;
