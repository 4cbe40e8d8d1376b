-- 0018: the reporting chain reaches people by name. A user's ids in the
-- chat platforms (so the robots of a group's channels can @-mention the
-- person on duty), and the mentions a queued chat message carries: a
-- JSON array of {name, id, mobile}, the ids of the channel's platform.

ALTER TABLE users ADD COLUMN chat_dingtalk TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN chat_wecom TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN chat_feishu TEXT NOT NULL DEFAULT '';
ALTER TABLE notification ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';
