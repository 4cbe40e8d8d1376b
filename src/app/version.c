/*
 * version.c - the version check of every write (version.h).
 */
#include "app/version.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/zone.h"
#include "util/tz.h"

static const struct {
	const char *en, *zh;
} kind_names[VK__COUNT] = {
	[VK_INCIDENT] = { "incident", "事件" },
	[VK_TASK] = { "task", "任务" },
	[VK_SUPPLY] = { "supply", "物资" },
	[VK_CHANNEL] = { "channel", "通知渠道" },
	[VK_GROUP] = { "group", "小组" },
	[VK_USER] = { "user", "用户" },
	[VK_ROTATION] = { "rotation", "值班表" },
	[VK_PLAN_VERSION] = { "plan version", "预案版本" },
	[VK_DRILL] = { "drill", "演练" },
	[VK_INTEGRATION] = { "integration", "监控接入" },
	[VK_ORGANISATION] = { "organisation", "组织设置" },
};

int64_t app_body_version(const json_t *body)
{
	json_t *v = json_object_get(body, "version");

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

void app_stamp(struct stamp *s, const struct principal *p)
{
	const struct user *u = p ? &p->user : NULL;

	s->by = u ? u->id : 0;
	snprintf(s->by_name, sizeof(s->by_name), "%s",
		 !u ? "" : u->display_name[0] ? u->display_name : u->login);
}

/* err->ver from s, with the Chinese message zh. */
static void fill(struct errbuf *err, const struct stamp *s, int64_t at_ms,
		 const char *zh)
{
	err->ver = (struct err_version){ .current = s->version,
					 .by_id = s->by, .at_ms = at_ms };
	snprintf(err->ver.by_name, sizeof(err->ver.by_name), "%s",
		 s->by ? s->by_name : "");
	snprintf(err->ver.msg_zh, sizeof(err->ver.msg_zh), "%s", zh);
}

void app_version_note(struct store *st, const struct principal *p,
		      const struct stamp *s,
		      int64_t changed_ms, enum ver_kind kind,
		      const char *name, struct errbuf *err)
{
	char at[32], zh[320], msg[sizeof(err->msg)], zone[64];

	if (!err)
		return;
	app_zone_for(st, p, zone);
	tz_short(changed_ms, zone, at);
	snprintf(msg, sizeof(msg), "%s", err->msg);
	errbuf_set(err, NULL, "%s (last changed by %s at %s, version %" PRId64
		   ")", msg, s->by ? s->by_name : "the system", at,
		   s->version);
	snprintf(zh, sizeof(zh),
		 "%s %s 已被%s于 %s 修改（当前版本 %" PRId64 "），此操作已不适用",
		 kind_names[kind].zh, name, s->by ? s->by_name : "系统", at,
		 s->version);
	fill(err, s, changed_ms, zh);
}

int app_version_check(struct store *st, const struct principal *p,
		      int64_t expected,
		      const struct stamp *s, int64_t changed_ms,
		      enum ver_kind kind, const char *name,
		      struct errbuf *err)
{
	char at[32], zone[64];
	const char *who_en, *who_zh;

	if (!expected || expected == s->version)
		return 0;
	app_zone_for(st, p, zone);
	tz_short(changed_ms, zone, at);
	who_en = s->by ? s->by_name : "the system";
	who_zh = s->by ? s->by_name : "系统";
	errbuf_set(err, "version_conflict",
		   "%s %s was changed by %s at %s (now version %" PRId64
		   "); load it again or send version %" PRId64,
		   kind_names[kind].en, name, who_en, at, s->version,
		   s->version);
	errbuf_field(err, "version");
	if (err) {
		char zh[320];

		snprintf(zh, sizeof(zh),
			 "%s %s 已被%s于 %s 修改（当前版本 %" PRId64
			 "），请重新载入后再提交",
			 kind_names[kind].zh, name, who_zh, at, s->version);
		fill(err, s, changed_ms, zh);
	}
	return ERMS_ECONFLICT;
}
