/*
 * cmd-bulletin.c - an incident's bulletins (信息发布) from the command
 * line, as an API client.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int bulletin_run(int argc, char **argv);

const struct cli_cmd cmd_bulletin = {
	.name = "bulletin",
	.usage = "erms bulletin list|add INCIDENT [ARGS] [--server URL] "
		 "[--json]",
	.summary_en = "Information publication: an incident's bulletins",
	.summary_zh = "信息发布：事件的内部通报与对外公告",
	.help_en =
		"  list INCIDENT                  the incident's bulletins\n"
		"  add INCIDENT --audience internal|public --text TEXT\n"
		"                                 internal: to staff through the\n"
		"                                 channels; public: on /status\n"
		"\nINCIDENT is an id or INC-YYYY-NNNN.\n",
	.help_zh =
		"  list 事件                      事件的全部通报\n"
		"  add 事件 --audience internal|public --text 内容\n"
		"                                 internal：经各渠道通报内部人员；\n"
		"                                 public：在 /status 对外公告\n"
		"\n事件为编号或 INC-YYYY-NNNN。\n",
	.run = bulletin_run,
};

static const char *audience(const json_t *b)
{
	const char *a = jfield(b, "audience");

	if (!strcmp(a, "public"))
		return L("public", "对外");
	if (!strcmp(a, "internal"))
		return L("internal", "内部");
	return a;
}

static int list(struct client *c, const char *inc)
{
	char *esc = cli_urlencode(inc);
	json_t *out = NULL, *b;
	struct table t;
	size_t i;
	int rc = client_list(c, xasprintf("/api/v1/incidents/%s/bulletins",
					  esc), &out);

	free(esc);
	if (rc || !out)
		return rc;
	table_init(&t, 4, "ID", L("AT", "时间"), L("AUDIENCE", "范围"),
		   L("TEXT", "内容"));
	json_array_foreach(json_object_get(out, "items"), i, b) {
		char id[24];

		table_row(&t, jint_str(b, "id", id), jfield(b, "created_at"),
			  audience(b), jfield(b, "text"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static int bulletin_run(int argc, char **argv)
{
	struct client c;
	char *pos[1] = { NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL, *esc = NULL;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (!strcmp(sub, "list") && n == 1) {
		rc = list(&c, pos[0]);
	} else if (!strcmp(sub, "add") && n == 1) {
		const char *aud = cli_opt(argc, argv, "--audience");

		if (aud && strcmp(aud, "internal") && strcmp(aud, "public")) {
			rc = cli_bad(L("--audience is internal or public",
				       "--audience 须为 internal 或 public"),
				     aud);
			goto done;
		}
		body = json_pack("{s:s*, s:s*}", "text",
				 cli_opt(argc, argv, "--text"), "audience",
				 aud);
		esc = cli_urlencode(pos[0]);
		path = xasprintf("/api/v1/incidents/%s/bulletins", esc);
		rc = client_expect(&c, "POST", path, body, 201, &out);
		if (!rc && out)
			printf("%s %lld  %s\n", L("bulletin", "通报"),
			       (long long)json_integer_value(
				       json_object_get(out, "id")),
			       audience(out));
	} else {
		rc = cli_usage(&cmd_bulletin);
	}
done:
	free(esc);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
