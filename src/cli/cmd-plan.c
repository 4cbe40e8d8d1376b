/*
 * cmd-plan.c - emergency plans: validate a file locally; the rest talks
 * to a server over the API.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/buf.h"
#include "util/xalloc.h"

static int plan_run(int argc, char **argv);

const struct cli_cmd cmd_plan = {
	.name = "plan",
	.usage = "erms plan validate FILE",
	.summary_en = "Emergency plans: validate, import, review, publish",
	.summary_zh = "应急预案：校验、导入、审批、发布",
	.help_en = "  validate FILE   check a plan file; print file:line:column: "
		   "message\n                  for each problem (exit 2)\n",
	.help_zh = "  validate FILE   校验预案文件；每个问题输出一行\n"
		   "                  文件:行:列: 说明（退出码 2）\n",
	.run = plan_run,
};

/* Read a whole file into memory (up to 8 MiB); NULL on failure. */
char *cli_read_file(const char *path, size_t *len)
{
	struct buf b;
	char chunk[65536];
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b, 8u << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n)) {
			buf_release(&b);
			b.data = NULL;
			break;
		}
	if (f != stdin)
		fclose(f);
	if (!b.data && n > 0)
		return NULL;
	return buf_detach(&b, len);
}

static int validate(const char *path)
{
	json_t *errors = json_array(), *content = NULL, *e;
	size_t len, i;
	char *text = cli_read_file(path, &len);
	int rc;

	if (!text) {
		fprintf(stderr, "erms: %s '%s'\n",
			L("cannot read", "无法读取"), path);
		json_decref(errors);
		return 1;
	}
	rc = plan_parse(path, text, len, &content, errors);
	json_array_foreach(errors, i, e)
		fprintf(stderr, "%s\n", json_string_value(json_object_get(e, "text")));
	if (!rc)
		printf("%s: %s\n", path, L("valid plan", "预案有效"));
	json_decref(content);
	json_decref(errors);
	free(text);
	return rc ? 2 : 0;
}

static int plan_run(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "validate"))
		return validate(argv[2]);
	return cli_usage(&cmd_plan);
}
