/*
 * cmd-duty.c - duty rosters from the command line, as an API client.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int duty_run(int argc, char **argv);

const struct cli_cmd cmd_duty = {
	.name = "duty",
	.usage = "erms duty COMMAND GROUP [ARGS] [--server URL] [--json]",
	.summary_en = "Duty rosters: who is on duty, rotations, overrides",
	.summary_zh = "值班：当前值班人、轮值表、临时替班",
	.help_en =
		"  on-duty GROUP [--at TIME]      who is on duty now (or at TIME)\n"
		"  rotations GROUP                the group's rotations\n"
		"  add GROUP --name N --members ID,ID,... --shift-minutes M\n"
		"      --start TIME [--time-zone TZ]\n"
		"  override GROUP ROTATION --user ID --start TIME --end TIME\n"
		"\nTIME is RFC 3339, e.g. 2026-12-01T08:00:00+08:00. A user's\n"
		"shifts as a calendar: GET /api/v1/users/ID/shifts.ics?token=T,\n"
		"T a feed token from POST /api/v1/me/feed-token\n",
	.help_zh =
		"  on-duty GROUP [--at 时间]      当前（或指定时间）值班人\n"
		"  rotations GROUP                小组的轮值表\n"
		"  add GROUP --name 名称 --members ID,ID,... --shift-minutes 分钟\n"
		"      --start 时间 [--time-zone 时区]\n"
		"  override GROUP 轮值ID --user ID --start 时间 --end 时间\n"
		"\n时间为 RFC 3339 格式，如 2026-12-01T08:00:00+08:00。个人值班\n"
		"日历：GET /api/v1/users/ID/shifts.ics?token=令牌（订阅令牌，\n"
		"由 POST /api/v1/me/feed-token 取得）\n",
	.run = duty_run,
};

static int show_on_duty(struct client *c, const char *group, const char *at)
{
	char *esc = at ? cli_urlencode(at) : NULL;
	char *path = xasprintf("/api/v1/groups/%s/on-duty%s%s", group,
			       esc ? "?at=" : "", esc ? esc : "");
	json_t *out = NULL, *d;
	int rc = client_get(c, path, &out);

	free(esc);
	if (rc || !out)
		return rc;
	d = json_object_get(out, "on_duty");
	if (json_is_object(d))
		printf("%s  %s (%s)  %s → %s\n", jfield(out, "group"),
		       jfield(d, "display_name"), jfield(d, "login"),
		       jfield(json_object_get(d, "shift"), "start"),
		       jfield(json_object_get(d, "shift"), "end"));
	else
		printf("%s  %s\n", jfield(out, "group"),
		       L("nobody on duty", "无人值班"));
	json_decref(out);
	return 0;
}

static int show_rotations(struct client *c, const char *group)
{
	char *path = xasprintf("/api/v1/groups/%s/rotations", group);
	json_t *out = NULL, *r;
	struct table t;
	size_t i;
	int rc = client_list(c, path, &out);

	if (rc || !out)
		return rc;
	table_init(&t, 5, "ID", L("NAME", "名称"), L("START", "起始"),
		   L("SHIFT", "班次"), L("MEMBERS", "成员"));
	json_array_foreach(json_object_get(out, "items"), i, r) {
		char id[24], shift[24];
		char *members = json_dumps(json_object_get(r, "members"),
					   JSON_COMPACT);

		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(
			json_object_get(r, "id")));
		snprintf(shift, sizeof(shift), "%lld min", (long long)
			 json_integer_value(json_object_get(r, "shift_minutes")));
		table_row(&t, id, jfield(r, "name"), jfield(r, "start"), shift,
			  members);
		free(members);
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

/* "1,2,3" as a JSON array of integers. */
static json_t *ids(const char *s)
{
	json_t *a = json_array();

	while (s && *s) {
		char *end;
		long long v = strtoll(s, &end, 10);

		if (end == s)
			break;
		json_array_append_new(a, json_integer(v));
		s = *end == ',' ? end + 1 : end;
	}
	return a;
}

static int duty_run(int argc, char **argv)
{
	struct client c;
	char *pos[2] = { NULL, NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 2);
	if (!strcmp(sub, "on-duty") && n == 1) {
		rc = show_on_duty(&c, pos[0], cli_opt(argc, argv, "--at"));
	} else if (!strcmp(sub, "rotations") && n == 1) {
		rc = show_rotations(&c, pos[0]);
	} else if (!strcmp(sub, "add") && n == 1) {
		const char *shift = cli_opt(argc, argv, "--shift-minutes");

		body = json_pack("{s:s?, s:o, s:I, s:s?}", "name",
				 cli_opt(argc, argv, "--name"), "members",
				 ids(cli_opt(argc, argv, "--members")),
				 "shift_minutes", (json_int_t)(shift ? strtoll(
					 shift, NULL, 10) : 0),
				 "start", cli_opt(argc, argv, "--start"));
		if (cli_opt(argc, argv, "--time-zone"))
			json_object_set_new(body, "time_zone", json_string(
				cli_opt(argc, argv, "--time-zone")));
		path = xasprintf("/api/v1/groups/%s/rotations", pos[0]);
		rc = client_expect(&c, "POST", path, body, 201, &out);
		if (!rc && out)
			printf("%s %lld\n", L("rotation", "轮值表"), (long long)
			       json_integer_value(json_object_get(out, "id")));
	} else if (!strcmp(sub, "override") && n == 2) {
		const char *user = cli_opt(argc, argv, "--user");

		body = json_pack("{s:I, s:s?, s:s?}", "user_id", (json_int_t)(
					 user ? strtoll(user, NULL, 10) : 0),
				 "start", cli_opt(argc, argv, "--start"), "end",
				 cli_opt(argc, argv, "--end"));
		path = xasprintf("/api/v1/groups/%s/rotations/%s/overrides",
				 pos[0], pos[1]);
		rc = client_expect(&c, "POST", path, body, 201, &out);
		if (!rc && out)
			printf("%s %lld\n", L("override", "替班"), (long long)
			       json_integer_value(json_object_get(out, "id")));
	} else {
		rc = cli_usage(&cmd_duty);
	}
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
