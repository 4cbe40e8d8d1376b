-- 0017: the organisation (one row: its name, the time zone and language
-- of what the server writes for it, and who changed it last) and each
-- user's own time zone ('' = the organisation's).

CREATE TABLE organisation (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  name       TEXT    NOT NULL DEFAULT '',
  time_zone  TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
  locale     TEXT    NOT NULL DEFAULT 'zh-CN'
                     CHECK (locale IN ('zh-CN', 'en')),
  version    INTEGER NOT NULL DEFAULT 1,
  updated_ms INTEGER NOT NULL DEFAULT 0,
  updated_by INTEGER REFERENCES users(id)
) STRICT;
INSERT INTO organisation (id) VALUES (1);

ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
