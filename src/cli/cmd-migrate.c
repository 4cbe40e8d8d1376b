/*
 * cmd-migrate.c - bring the database schema up to date.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>


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
	const char *db;
	enum app_db_stage stage;
	bool status = false;
	struct errbuf e = { 0 };
	int rc, from, to;

	if ((rc = cli_db_opts(argc, argv, &cmd_migrate, &db, "status",
			      &status)))
		return rc;
	if (optind != argc)
		return cli_usage(&cmd_migrate);
	rc = app_db_migrate(cli_db(db), status, &from, &to, &stage, &e);
	if (rc)
		return cli_db_fail(rc, &e, stage, L("migrate", "迁移"));
	if (status)
		printf("%s %d/%d\n", L("schema", "结构版本"), from, to);
	else if (from == to)
		printf("%s (%d)\n", L("schema is up to date", "结构已是最新"),
		       to);
	else
		printf("%s %d -> %d\n", L("migrated", "已迁移"), from, to);
	return 0;
}
