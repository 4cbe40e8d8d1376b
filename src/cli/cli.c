/*
 * cli.c - the dispatcher: find the command by exact name (prefixes are a
 * hazard for a tool that changes data), run it, map its result.
 */
#define LOG_MOD "cli"
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

bool cli_json_errors;

static const struct cli_cmd *const commands[] = {
	&cmd_serve, &cmd_demo, &cmd_init, &cmd_migrate, &cmd_backup, &cmd_copy,
	&cmd_audit, &cmd_pack, &cmd_login, &cmd_plan, &cmd_incident, &cmd_duty,
	&cmd_drill, &cmd_supply, &cmd_bulletin, &cmd_expense, &cmd_budget,
	&cmd_channel, &cmd_user, &cmd_group, &cmd_notification,
	&cmd_regulatory, &cmd_integration, &cmd_alert, &cmd_version,
	&cmd_help,
};

bool cli_zh(void)
{
	const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return !strncmp(v, "zh", 2);
	}
	return false;
}

const char *L(const char *en, const char *zh)
{
	return cli_zh() ? zh : en;
}

/* The options every client command takes, for its help. */
static void client_options(const struct cli_cmd *c)
{
	if (!strstr(c->usage, "[--json]"))
		return;
	printf("\n%s\n", L(
		"Client options: --server URL ($ERMS_SERVER), --token T\n"
		"($ERMS_TOKEN, see 'erms login'), --json (the API's answer as\n"
		"JSON; errors as the API's error object, one line on stderr),\n"
		"and for lists --cursor C (start at that page; the next page's\n"
		"cursor is told on stderr) or --all (follow every page).",
		"客户端选项：--server URL（$ERMS_SERVER）、--token 令牌\n"
		"（$ERMS_TOKEN，见 'erms login'）、--json（以 JSON 输出应答；\n"
		"错误以 API 的错误对象输出到标准错误，一行）；列表另有\n"
		"--cursor C（从该页开始；下一页的游标输出到标准错误）或\n"
		"--all（取全部页）。"));
}

int cli_help(const struct cli_cmd *c)
{
	printf("%s: %s\n\n%s\n%s", L("usage", "用法"), c->usage,
	       L(c->summary_en, c->summary_zh),
	       c->help_en ? L(c->help_en, c->help_zh) : "");
	client_options(c);
	return 0;
}

/* With --json: {"error": {code, message}} on stderr, one line. */
static void json_error(const char *code, const char *msg)
{
	json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", code,
			      "message", msg);

	json_dumpf(j, stderr, JSON_COMPACT);
	fputc('\n', stderr);
	json_decref(j);
}

/* Whether the help line names sub-command sub: its first word (names
 * joined by '|'), or the first word after a " | ". */
static bool names_sub(const char *line, size_t len, const char *sub)
{
	size_t n = strlen(sub);
	const char *end = line + len;

	for (const char *p = line; p < end;) {
		const char *w = p;

		while (w < end && *w != ' ' && *w != '|')
			w++;
		if ((size_t)(w - p) == n && !strncmp(p, sub, n))
			return true;
		if (w < end && *w == '|') {	/* a|b|c */
			p = w + 1;
			continue;
		}
		p = NULL;
		for (const char *q = w; q + 3 <= end; q++)
			if (!strncmp(q, " | ", 3)) {
				p = q + 3;
				break;
			}
		if (!p)
			break;
	}
	return false;
}

/* The help of sub-command sub from help text h into out: the line that
 * names it, its continuation lines and the notes after the list. */
static bool sub_help(const char *h, const char *sub, struct buf *out)
{
	bool found = false, in = false, notes = false;

	for (const char *p = h; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (!len) {
			notes = true;
			in = false;
		} else if (notes) {
			if (found)
				buf_addf(out, "%.*s\n", (int)len, p);
		} else if (len > 2 && !strncmp(p, "  ", 2) && p[2] != ' ') {
			in = names_sub(p + 2, len - 2, sub);
			if (in) {
				if (found)
					buf_adds(out, "       ");
				buf_addf(out, "%.*s\n", (int)len - 2, p + 2);
				found = true;
			}
		} else if (in) {
			buf_addf(out, "%.*s\n", (int)len, p);
		}
		if (notes && found && !len)
			buf_adds(out, "\n");
		p = nl ? nl + 1 : NULL;
	}
	return found;
}

int cli_sub_help(const struct cli_cmd *c, const char *sub)
{
	struct buf b = BUF_INIT;
	const char *h = c->help_en ? L(c->help_en, c->help_zh) : NULL;

	if (!h || !sub_help(h, sub, &b)) {
		buf_release(&b);
		return cli_help(c);
	}
	printf("%s: erms %s %s", L("usage", "用法"), c->name, b.data);
	client_options(c);
	buf_release(&b);
	return 0;
}

int cli_usage(const struct cli_cmd *c)
{
	if (cli_json_errors) {
		char *m = xasprintf("%s: %s", L("usage", "用法"), c->usage);

		json_error("usage", m);
		free(m);
		return 2;
	}
	fprintf(stderr, "%s: %s\n%s 'erms help %s'\n", L("usage", "用法"),
		c->usage, L("see", "参见"), c->name);
	return 2;
}

int cli_exit_code(int rc)
{
	if (!rc)
		return 0;
	return rc == ERMS_EINVAL ? 2 : 1;
}

int cli_fail(int rc, const struct errbuf *e, const char *what)
{
	const char *why = e && e->msg[0] ? e->msg : erms_strerror(rc);

	if (cli_json_errors) {
		char *m = xasprintf("%s: %s", what, why);

		json_error(e && e->code[0] ? e->code : erms_strerror(rc), m);
		free(m);
	} else {
		fprintf(stderr, "erms: %s: %s\n", what, why);
	}
	return cli_exit_code(rc);
}

const char *cli_db(const char *opt)
{
	const char *env = getenv("ERMS_DB");

	if (opt)
		return opt;
	return env && *env ? env : "erms.db";
}

int cli_need_key(const char *db, const char *key)
{
	if (key || (strncmp(db, "postgres://", 11) &&
		    strncmp(db, "postgresql://", 13)))
		return 0;
	fprintf(stderr, "erms: %s\n",
		L("a database URL needs --key FILE: the key file cannot sit "
		  "next to the database, and every node must use the same one",
		  "数据库为 URL 时必须给出 --key 文件：密钥文件无法放在数据库旁，"
		  "且每个节点须使用同一个密钥文件"));
	return 2;
}

int cli_db_opts(int argc, char **argv, const struct cli_cmd *cmd,
		const char **db, const char *flag, bool *on)
{
	/* Without a flag its row is the terminator. */
	const struct option o[] = {
		{ "db", required_argument, NULL, 'd' },
		{ flag, no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*db = NULL;
	while ((c = getopt_long(argc, argv, "", o, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else if (c == 'f')
			*on = true;
		else
			return cli_usage(cmd);
	}
	return 0;
}

int cli_db_fail(int rc, const struct errbuf *e, enum app_db_stage stage,
		const char *what)
{
	if (stage == APP_DB_OPEN)
		what = L("cannot open the database", "无法打开数据库");
	else if (stage == APP_DB_MIGRATE)
		what = L("migration failed", "迁移失败");
	return cli_fail(rc, e, what);
}

bool cli_read_line(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return false;
	buf[strcspn(buf, "\r\n")] = '\0';
	return true;
}

static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static int help_run(int argc, char **argv)
{
	const struct cli_cmd *c;

	if (argc > 1) {
		c = find(argv[1]);
		if (!c) {
			fprintf(stderr, "erms: %s '%s'\n",
				L("no such command", "没有这个命令"), argv[1]);
			return 2;
		}
		return argc > 2 ? cli_sub_help(c, argv[2]) : cli_help(c);
	}
	printf("%s\n\n%s:\n",
	       L("erms - emergency response management",
		 "erms - 应急响应管理系统"),
	       L("Commands", "命令"));
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-12s %s\n", commands[i]->name,
		       L(commands[i]->summary_en, commands[i]->summary_zh));
	printf("\n%s\n", L("'erms help <command> [<sub-command>]' or 'erms "
			   "<command> [<sub-command>] --help' tells more.",
			   "'erms help <命令> [<子命令>]' 或 'erms <命令> [<子命令>] "
			   "--help' 查看详情。"));
	return 0;
}

const struct cli_cmd cmd_help = {
	.name = "help",
	.usage = "erms help [COMMAND [SUBCOMMAND]]",
	.summary_en = "List the commands, or explain one",
	.summary_zh = "列出命令，或说明某个命令",
	.run = help_run,
};

int cli_main(int argc, char **argv)
{
	const struct cli_cmd *c;
	const char *lvl = getenv("ERMS_LOG_LEVEL");

	if (lvl && log_level_parse(lvl) >= 0)
		log_threshold = (enum log_level)log_level_parse(lvl);
	if (argc < 2)
		return help_run(1, argv);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version.run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help_run(1, argv);
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "erms: %s '%s'; %s\n",
			L("no such command", "没有这个命令"), argv[1],
			L("see 'erms help'", "请运行 'erms help'"));
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return argc > 2 && argv[2][0] != '-'
			       ? cli_sub_help(c, argv[2]) : cli_help(c);
	}
	return c->run(argc - 1, argv + 1);
}
