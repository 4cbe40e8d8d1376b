/*
 * cmd-plan.c - emergency plans: validate a file locally; the rest talks
 * to a server over the API.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/planfile.h"
#include "cli/client.h"
#include "util/buf.h"
#include "util/xalloc.h"

static int plan_run(int argc, char **argv);

const struct cli_cmd cmd_plan = {
	.name = "plan",
	.usage = "erms plan COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Emergency plans: validate, import, review, publish",
	.summary_zh = "应急预案：校验、导入、审批、发布",
	.help_en =
		"  validate FILE             check a plan file locally; one line\n"
		"                            file:line:column: message a problem\n"
		"  import FILE               import as a new draft version\n"
		"  list                      the plans\n"
		"  current                   the version in force\n"
		"  versions PLAN             a plan's versions (PLAN: id or key)\n"
		"  show PLAN N               one version: levels, categories, groups\n"
		"  replace PLAN N FILE       replace a draft\n"
		"  submit|approve|publish PLAN N [--comment TEXT]\n"
		"  reject PLAN N --comment TEXT\n"
		"  ack PLAN N                I have read the version in force\n"
		"  acks PLAN N [--group KEY] [--pending]\n"
		"                            who has acknowledged it\n"
		"  diff PLAN N M             what changed from version N to M\n"
		"  export PLAN N             the version as a YAML file\n",
	.help_zh =
		"  validate FILE             在本地校验预案文件；每个问题输出一行\n"
		"                            文件:行:列: 说明\n"
		"  import FILE               导入为新的草稿版本\n"
		"  list                      预案列表\n"
		"  current                   现行版本\n"
		"  versions PLAN             预案的各个版本（PLAN：编号或标识）\n"
		"  show PLAN N               查看版本：分级、分类、小组\n"
		"  replace PLAN N FILE       替换草稿\n"
		"  submit|approve|publish PLAN N [--comment 说明]\n"
		"  reject PLAN N --comment 说明\n"
		"  ack PLAN N                确认已学习现行版本\n"
		"  acks PLAN N [--group KEY] [--pending]\n"
		"                            学习确认情况\n"
		"  diff PLAN N M             版本 N 到 M 的变化\n"
		"  export PLAN N             导出为 YAML 文件\n",
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
	json_t *errors = json_array(), *e;
	size_t len, i;
	char *text = cli_read_file(path, &len);
	int rc;

	if (!text) {
		fprintf(stderr, "erms: %s '%s'\n",
			L("cannot read", "无法读取"), path);
		json_decref(errors);
		return 1;
	}
	rc = app_plan_validate(path, text, len, errors);
	json_array_foreach(errors, i, e)
		fprintf(stderr, "%s\n", json_string_value(json_object_get(e, "text")));
	if (!rc)
		printf("%s: %s\n", path, L("valid plan", "预案有效"));
	json_decref(errors);
	free(text);
	return rc ? 2 : 0;
}

/* Call the API; on success answer with *out, else print the error. */
static const char *lang(void)
{
	return cli_zh() ? "zh-CN" : "en";
}

static const char *T(const json_t *o, const char *key)
{
	return app_plan_text(json_object_get(o, key), lang());
}

static void print_version(const json_t *v)
{
	printf("%s v%lld  %s  %s\n", jfield(v, "plan_key"),
	       (long long)json_integer_value(json_object_get(v, "n")),
	       jfield(v, "status"), T(v, "name"));
}

static int do_import(struct client *c, const char *path, const char *route,
		     const char *method, int want)
{
	size_t len;
	char *text = cli_read_file(path, &len);
	const char *base = strrchr(path, '/');
	json_t *body, *out = NULL;
	int rc;

	if (!text) {
		fprintf(stderr, "erms: %s '%s'\n", L("cannot read", "无法读取"),
			path);
		return 1;
	}
	body = json_pack("{s:s%, s:s}", "yaml", text, len, "file",
			 base ? base + 1 : path);
	free(text);
	if (!body) {
		fprintf(stderr, "erms: '%s' %s\n", path,
			L("is not UTF-8 text", "不是 UTF-8 文本"));
		return 2;
	}
	rc = client_expect(c, method, route, body, want, &out);
	json_decref(body);
	if (out)
		print_version(out);
	json_decref(out);
	return rc;
}

static int do_list(struct client *c)
{
	json_t *out = NULL, *p;
	struct table t;
	size_t i;
	int rc = client_list(c, xstrdup("/api/v1/plans"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 4, "ID", "KEY", L("LATEST", "最新版本"),
		   L("IN FORCE", "现行版本"));
	json_array_foreach(json_object_get(out, "items"), i, p) {
		char id[24], latest[24], pub[24];

		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(p, "id")));
		snprintf(latest, sizeof(latest), "v%lld", (long long)
			 json_integer_value(json_object_get(p, "latest_version")));
		snprintf(pub, sizeof(pub), "%s", "-");
		if (json_is_integer(json_object_get(p, "published_version")))
			snprintf(pub, sizeof(pub), "v%lld", (long long)
				 json_integer_value(json_object_get(
					 p, "published_version")));
		table_row(&t, id, jfield(p, "key"), latest, pub);
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static int do_versions(struct client *c, const char *plan)
{
	char *path = xasprintf("/api/v1/plans/%s/versions", plan);
	json_t *out = NULL, *v;
	struct table t;
	size_t i;
	int rc = client_list(c, path, &out);

	if (rc || !out)
		return rc;
	table_init(&t, 5, "N", L("STATUS", "状态"), L("CREATED", "创建时间"),
		   L("PUBLISHED", "发布时间"), L("NAME", "名称"));
	json_array_foreach(json_object_get(out, "items"), i, v) {
		char n[16];

		snprintf(n, sizeof(n), "v%lld",
			 (long long)json_integer_value(json_object_get(v, "n")));
		table_row(&t, n, jfield(v, "status"), jfield(v, "created_at"),
			  jfield(v, "published_at"), T(v, "name"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static void print_content(const json_t *content)
{
	struct table t;
	json_t *x;
	size_t i;

	table_init(&t, 6, L("RANK", "级别"), "KEY", L("NAME", "名称"),
		   L("ACK", "确认"), L("ACTIVATE", "启动"),
		   L("RESOLVE", "处置"));
	json_array_foreach(json_object_get(content, "levels"), i, x) {
		json_t *tg = json_object_get(x, "targets");
		char r[8], a[16], b[16], d[16];

		snprintf(r, sizeof(r), "%lld", (long long)json_integer_value(
			json_object_get(x, "rank")));
		snprintf(a, sizeof(a), "%lld min", (long long)
			 json_integer_value(json_object_get(tg, "ack_min")));
		snprintf(b, sizeof(b), "%lld min", (long long)
			 json_integer_value(json_object_get(tg, "activate_min")));
		snprintf(d, sizeof(d), "%lld min", (long long)
			 json_integer_value(json_object_get(tg, "resolve_min")));
		table_row(&t, r, jfield(x, "key"), T(x, "name"), a, b, d);
	}
	putchar('\n');
	table_print(&t);
	table_init(&t, 4, L("CATEGORY", "分类"), L("NAME", "名称"),
		   L("TEAM", "负责小组"), "GB/T 20986");
	json_array_foreach(json_object_get(content, "categories"), i, x)
		table_row(&t, jfield(x, "key"), T(x, "name"), jfield(x, "team"),
			  jfield(x, "class"));
	putchar('\n');
	table_print(&t);
	table_init(&t, 3, L("GROUP", "小组"), L("KIND", "类型"),
		   L("NAME", "名称"));
	json_array_foreach(json_object_get(content, "groups"), i, x)
		table_row(&t, jfield(x, "key"), jfield(x, "kind"), T(x, "name"));
	putchar('\n');
	table_print(&t);
}

static int do_show(struct client *c, const char *path)
{
	json_t *out = NULL;
	int rc = client_expect(c, "GET", path, NULL, 200, &out);

	if (rc || !out)
		return rc;
	print_version(out);
	print_content(json_object_get(out, "content"));
	json_decref(out);
	return 0;
}

static int do_step(struct client *c, const char *plan, const char *n,
		   const char *step, const char *comment)
{
	char *path = xasprintf("/api/v1/plans/%s/versions/%s/%s", plan, n,
			       step);
	json_t *body = comment ? json_pack("{s:s}", "comment", comment) : NULL;
	json_t *out = NULL;
	int rc = client_expect(c, "POST", path, body, 200, &out);

	free(path);
	json_decref(body);
	if (out && !strcmp(step, "ack"))
		printf("%s v%s\n", L("acknowledged", "已确认"), n);
	else if (out)
		print_version(out);
	json_decref(out);
	return rc;
}

static int do_acks(struct client *c, const char *plan, const char *n,
		   const char *group, bool pending)
{
	char *path = xasprintf("/api/v1/plans/%s/versions/%s/acks%s%s%s%s",
			       plan, n, group || pending ? "?" : "",
			       group ? "group=" : "", group ? group : "",
			       pending ? (group ? "&state=pending"
						: "state=pending") : "");
	json_t *out = NULL, *a;
	struct table t;
	size_t i;
	int rc = client_list(c, path, &out);

	if (rc || !out)
		return rc;
	printf("%lld/%lld %s\n",
	       (long long)json_integer_value(json_object_get(out, "acknowledged")),
	       (long long)json_integer_value(json_object_get(out, "total")),
	       L("acknowledged", "已确认"));
	table_init(&t, 3, L("LOGIN", "登录名"), L("NAME", "姓名"),
		   L("ACKNOWLEDGED", "确认时间"));
	json_array_foreach(json_object_get(out, "items"), i, a)
		table_row(&t, jfield(a, "login"), jfield(a, "display_name"),
			  json_is_string(json_object_get(a, "acknowledged_at"))
				  ? jfield(a, "acknowledged_at")
				  : L("not yet", "未确认"));
	table_print(&t);
	json_decref(out);
	return 0;
}

/* A value for a diff line: strings as they are, the rest as JSON. */
static void print_value(const json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		fputs(json_string_value(v), stdout);
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	fputs(s ? s : "", stdout);
	free(s);
}

static int do_diff(struct client *c, const char *plan, const char *n,
		   const char *m)
{
	char *path = xasprintf("/api/v1/plans/%s/versions/%s/diff/%s", plan,
			       n, m);
	json_t *out = NULL, *ch, *ln;
	size_t i, j;
	int rc = client_get(c, path, &out);

	if (rc || !out)
		return rc;
	printf("v%s -> v%s: %zu %s\n", n, m,
	       json_array_size(json_object_get(out, "changes")),
	       L("change(s)", "处变化"));
	json_array_foreach(json_object_get(out, "changes"), i, ch) {
		const char *op = jfield(ch, "op");

		if (!strcmp(op, "text")) {
			printf("@@ %s\n", jfield(ch, "path"));
			json_array_foreach(json_object_get(ch, "lines"), j, ln)
				printf("%s %s\n", jfield(ln, "op"), jfield(ln, "text"));
			continue;
		}
		printf("%c %s: ", !strcmp(op, "added") ? '+' :
		       !strcmp(op, "removed") ? '-' : '~', jfield(ch, "path"));
		if (json_object_get(ch, "from"))
			print_value(json_object_get(ch, "from"));
		if (!strcmp(op, "changed"))
			fputs(" -> ", stdout);
		if (json_object_get(ch, "to"))
			print_value(json_object_get(ch, "to"));
		putchar('\n');
	}
	json_decref(out);
	return 0;
}

static int do_export(struct client *c, const char *plan, const char *n)
{
	return client_download(c, xasprintf("/api/v1/plans/%s/versions/%s/export",
					    plan, n));
}

static int run_client(int argc, char **argv)
{
	const char *sub = argv[1], *comment = NULL, *group = NULL;
	char *args[4] = { NULL };
	bool pending = false;
	int nargs = 0, rc = 2;
	struct client c;
	char *path;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	rc = 2;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--comment") && i + 1 < argc)
			comment = argv[++i];
		else if (!strcmp(argv[i], "--group") && i + 1 < argc)
			group = argv[++i];
		else if (!strcmp(argv[i], "--pending"))
			pending = true;
		else if (argv[i][0] == '-' || nargs == 4)
			goto usage;
		else
			args[nargs++] = argv[i];
	}
	if (!strcmp(sub, "import") && nargs == 1)
		rc = do_import(&c, args[0], "/api/v1/plans", "POST", 201);
	else if (!strcmp(sub, "list") && nargs == 0)
		rc = do_list(&c);
	else if (!strcmp(sub, "current") && nargs == 0)
		rc = do_show(&c, "/api/v1/plans/current");
	else if (!strcmp(sub, "versions") && nargs == 1)
		rc = do_versions(&c, args[0]);
	else if (!strcmp(sub, "show") && nargs == 2) {
		path = xasprintf("/api/v1/plans/%s/versions/%s", args[0],
				 args[1]);
		rc = do_show(&c, path);
		free(path);
	} else if (!strcmp(sub, "replace") && nargs == 3) {
		path = xasprintf("/api/v1/plans/%s/versions/%s", args[0],
				 args[1]);
		rc = do_import(&c, args[2], path, "PUT", 200);
		free(path);
	} else if ((!strcmp(sub, "submit") || !strcmp(sub, "approve") ||
		    !strcmp(sub, "reject") || !strcmp(sub, "publish") ||
		    !strcmp(sub, "ack")) && nargs == 2)
		rc = do_step(&c, args[0], args[1], sub, comment);
	else if (!strcmp(sub, "acks") && nargs == 2)
		rc = do_acks(&c, args[0], args[1], group, pending);
	else if (!strcmp(sub, "diff") && nargs == 3)
		rc = do_diff(&c, args[0], args[1], args[2]);
	else if (!strcmp(sub, "export") && nargs == 2)
		rc = do_export(&c, args[0], args[1]);
	else
		goto usage;
	client_release(&c);
	return rc;
usage:
	client_release(&c);
	return cli_usage(&cmd_plan);
}

static int plan_run(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "validate"))
		return validate(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "validate"))
		return run_client(argc, argv);
	return cli_usage(&cmd_plan);
}
