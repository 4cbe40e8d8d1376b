/*
 * cmd-notification.c - the delivery log from the command line, as an
 * API client: what was sent to whom, and sending a failed message again.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/buf.h"
#include "util/xalloc.h"

static int notification_run(int argc, char **argv);

const struct cli_cmd cmd_notification = {
	.name = "notification",
	.usage = "erms notification list|retry [ARGS] [--server URL] [--json]",
	.summary_en = "The delivery log: messages sent, failed, retried",
	.summary_zh = "通知记录：已发送、失败与重发的消息",
	.help_en =
		"  list [--incident INC] [--state S] [--channel ID] [--limit N]\n"
		"                                 the delivery log, newest first;\n"
		"                                 S: pending, sent, failed ...\n"
		"  retry ID                       send a failed message again\n",
	.help_zh =
		"  list [--incident 事件] [--state 状态] [--channel 渠道ID]\n"
		"       [--limit N]               通知记录（新的在前）；状态如\n"
		"                                 pending、sent、failed\n"
		"  retry ID                       重新发送一条失败的消息\n",
	.run = notification_run,
};

static int list(struct client *c, int argc, char **argv)
{
	static const char *const keys[][2] = {
		{ "--incident", "incident" }, { "--state", "state" },
		{ "--channel", "channel" }, { "--limit", "limit" },
	};
	struct buf b = BUF_INIT;
	json_t *out = NULL, *x;
	struct table t;
	size_t i;
	int rc;

	buf_adds(&b, "/api/v1/notifications?");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = cli_opt(argc, argv, keys[i][0]);
		char *esc;

		if (!v)
			continue;
		esc = cli_urlencode(v);
		buf_addf(&b, "%s=%s&", keys[i][1], esc);
		free(esc);
	}
	b.data[--b.len] = '\0';
	rc = client_list(c, buf_detach(&b, NULL), &out);
	if (rc || !out)
		return rc;
	table_init(&t, 6, "ID", L("CREATED", "时间"), L("STATE", "状态"),
		   L("CHANNEL", "渠道"), L("TO", "接收人"), L("SUBJECT", "主题"));
	json_array_foreach(json_object_get(out, "items"), i, x) {
		char id[24], ch[24];

		table_row(&t, jint_str(x, "id", id), jfield(x, "created_at"),
			  jfield(x, "state"), jint_str(x, "channel_id", ch),
			  jfield(x, "recipient"), jfield(x, "subject"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static int notification_run(int argc, char **argv)
{
	struct client c;
	char *pos[1] = { NULL };
	const char *sub;
	json_t *out = NULL, *body = NULL;
	char *path = NULL;
	long long id;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (!strcmp(sub, "list") && n == 0) {
		rc = list(&c, argc, argv);
	} else if (!strcmp(sub, "retry") && n == 1) {
		if (cli_parse_int(pos[0], &id)) {
			rc = cli_bad(L("a message is named by its id",
				       "消息须以 ID 指明"), pos[0]);
		} else {
			body = json_object();
			path = xasprintf("/api/v1/notifications/%lld/retry", id);
			rc = client_expect(&c, "POST", path, body, 200, &out);
			if (!rc && out)
				printf("%lld  %s  %s\n", id, jfield(out, "state"),
				       jfield(out, "recipient"));
		}
	} else {
		rc = cli_usage(&cmd_notification);
	}
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
