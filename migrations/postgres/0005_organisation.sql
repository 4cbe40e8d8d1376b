-- 0005: the organisation (one row: its name, the time zone and language
-- of what the server writes for it, and who changed it last) and each
-- user's own time zone ('' = the organisation's).

CREATE TABLE organisation (
  id         bigint PRIMARY KEY CHECK (id = 1),
  name       text   NOT NULL DEFAULT '',
  time_zone  text   NOT NULL DEFAULT 'Asia/Shanghai',
  locale     text   NOT NULL DEFAULT 'zh-CN'
                    CHECK (locale IN ('zh-CN', 'en')),
  version    bigint NOT NULL DEFAULT 1,
  updated_ms bigint NOT NULL DEFAULT 0,
  updated_by bigint REFERENCES users(id)
);
INSERT INTO organisation (id) VALUES (1);

ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT '';
