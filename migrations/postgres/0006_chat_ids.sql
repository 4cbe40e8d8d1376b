-- 0006: the reporting chain reaches people by name. A user's ids in the
-- chat platforms (so the robots of a group's channels can @-mention the
-- person on duty), and the mentions a queued chat message carries: a
-- JSON array of {name, id, mobile}, the ids of the channel's platform.

ALTER TABLE users ADD COLUMN chat_dingtalk text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN chat_wecom text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN chat_feishu text NOT NULL DEFAULT '';
ALTER TABLE notification ADD COLUMN mentions text NOT NULL DEFAULT '[]';
