/*
 * cmd-migrate.c - bring the database schema up to date.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "store/store.h"

static int migrate_run(int argc, char **argv);

const struct cli_cmd cmd_migrate = {
	.name = "migrate",
	.usage = "erms migrate [--db PATH] [--status]",
	.summary_en = "Create or upgrade the database schema",
	.summary_zh = "创建或升级数据库结构",
	.help_en = "  --db PATH   database (default $ERMS_DB or erms.db)\n"
		   "  --status    only say which version the schema is at\n",
	.help_zh = "  --db PATH   数据库（默认 $ERMS_DB 或 erms.db）\n"
		   "  --status    只显示当前结构版本\n",
	.run = migrate_run,
};

static int migrate_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "status", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	bool status = false;
	struct errbuf e = { 0 };
	struct store *st;
	int c, rc, from, to;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 's')
			status = true;
		else
			return cli_usage(&cmd_migrate);
	}
	if (optind != argc)
		return cli_usage(&cmd_migrate);
	rc = store_open(&st, cli_db(db), status ? 0 : STORE_CREATE, &e);
	if (rc)
		return cli_fail(rc, &e, L("cannot open the database",
					  "无法打开数据库"));
	if (status) {
		rc = store_schema(st, &from, &to);
		if (!rc)
			printf("%s %d/%d\n", L("schema", "结构版本"), from, to);
	} else {
		rc = store_migrate(st, &from, &to, &e);
		if (!rc && from == to)
			printf("%s (%d)\n", L("schema is up to date",
					      "结构已是最新"), to);
		else if (!rc)
			printf("%s %d -> %d\n", L("migrated", "已迁移"), from,
			       to);
	}
	store_close(st);
	return rc ? cli_fail(rc, &e, L("migrate", "迁移")) : 0;
}
