/*
 * cmd-backup.c - an online copy of the database.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "store/store.h"

static int backup_run(int argc, char **argv);

const struct cli_cmd cmd_backup = {
	.name = "backup",
	.usage = "erms backup [--db PATH] FILE",
	.summary_en = "Copy the database to FILE while it is in use",
	.summary_zh = "在线备份数据库到 FILE",
	.help_en = "FILE must not exist. The server may keep running.\n\n"
		   "  --db PATH   database (default $ERMS_DB or erms.db)\n",
	.help_zh = "FILE 不能已存在。备份时服务可继续运行。\n\n"
		   "  --db PATH   数据库（默认 $ERMS_DB 或 erms.db）\n",
	.run = backup_run,
};

static int backup_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct errbuf e = { 0 };
	struct store *st;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else
			return cli_usage(&cmd_backup);
	}
	if (optind != argc - 1)
		return cli_usage(&cmd_backup);
	if ((rc = cli_open_store(cli_db(db), false, &st)))
		return rc;
	rc = store_backup(st, argv[optind], &e);
	store_close(st);
	if (rc)
		return cli_fail(rc, &e, L("backup failed", "备份失败"));
	printf("%s %s\n", L("backed up to", "已备份到"), argv[optind]);
	return 0;
}
