-- 0002: emergency plans, their versions, and staff acknowledgements.

CREATE TABLE plan (
  id         INTEGER PRIMARY KEY,
  key        TEXT    NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE plan_version (
  id             INTEGER PRIMARY KEY,
  plan_id        INTEGER NOT NULL REFERENCES plan(id),
  n              INTEGER NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN
                   ('draft', 'in_review', 'approved', 'published', 'superseded')),
  name_json      TEXT    NOT NULL,
  source_name    TEXT    NOT NULL,
  source         TEXT    NOT NULL,
  content        TEXT    NOT NULL,
  author_id      INTEGER NOT NULL REFERENCES users(id),
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  submitted_ms   INTEGER,
  reviewer_id    INTEGER REFERENCES users(id),
  reviewed_ms    INTEGER,
  review_comment TEXT    NOT NULL DEFAULT '',
  publisher_id   INTEGER REFERENCES users(id),
  published_ms   INTEGER,
  superseded_ms  INTEGER,
  UNIQUE (plan_id, n)
) STRICT;
CREATE INDEX plan_version_published ON plan_version(status, published_ms);

CREATE TABLE plan_ack (
  version_id INTEGER NOT NULL REFERENCES plan_version(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  at_ms      INTEGER NOT NULL,
  PRIMARY KEY (version_id, user_id)
) STRICT;
