/*
 * cmd-backup.c - an online copy of the database.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int backup_run(int argc, char **argv);

const struct cli_cmd cmd_backup = {
	.name = "backup",
	.usage = "erms backup [--db PATH] FILE",
	.summary_en = "Copy the database to FILE while it is in use",
	.summary_zh = "在线备份数据库到 FILE",
	.help_en = "FILE must not exist. The server may keep running. The\n"
		   "backup's audit anchor goes to FILE.anchor; the key file is\n"
		   "not copied (keep it apart): verify a backup with\n"
		   "erms audit verify --db FILE --key KEY --anchor FILE.anchor\n"
		   "A PostgreSQL database is backed up with pg_dump or\n"
		   "pg_basebackup (docs/deploy.md).\n\n"
		   "  --db PATH   database (default $ERMS_DB or erms.db)\n",
	.help_zh = "FILE 不能已存在。备份时服务可继续运行。备份的审计锚点写入\n"
		   "FILE.anchor；密钥文件不会被复制（请另行保管）：校验备份请用\n"
		   "erms audit verify --db FILE --key KEY --anchor FILE.anchor\n"
		   "PostgreSQL 数据库请用 pg_dump 或 pg_basebackup 备份\n"
		   "（docs/deploy.md）。\n\n"
		   "  --db PATH   数据库（默认 $ERMS_DB 或 erms.db）\n",
	.run = backup_run,
};

/* A server engine (PostgreSQL) is backed up with its own tools. */
static int backup_elsewhere(void)
{
	fputs(L("erms: erms backup copies only an SQLite file. Back up a\n"
		"PostgreSQL database with its own tools:\n"
		"  pg_dump -Fc -f erms.dump URL      a logical copy (restore:\n"
		"                                    pg_restore -d URL erms.dump)\n"
		"  pg_basebackup -D DIR -X stream    a base backup; with WAL\n"
		"                                    archiving, point-in-time\n"
		"                                    recovery\n"
		"Keep the key file apart. See docs/deploy.md.\n",
		"erms：erms backup 只能复制 SQLite 文件。PostgreSQL 数据库请用\n"
		"它自己的工具备份：\n"
		"  pg_dump -Fc -f erms.dump URL      逻辑备份（恢复：\n"
		"                                    pg_restore -d URL erms.dump）\n"
		"  pg_basebackup -D DIR -X stream    基础备份；配合 WAL 归档\n"
		"                                    可按时间点恢复\n"
		"密钥文件请另行保管。详见 docs/deploy.md。\n"), stderr);
	return 1;
}

static int backup_run(int argc, char **argv)
{
	const char *db;
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	int rc;

	if ((rc = cli_db_opts(argc, argv, &cmd_backup, &db, NULL, NULL)))
		return rc;
	if (optind != argc - 1)
		return cli_usage(&cmd_backup);
	rc = app_db_backup(cli_db(db), argv[optind], &stage, &e);
	if (rc && !strcmp(e.code, "backup_elsewhere"))
		return backup_elsewhere();
	if (rc)
		return cli_db_fail(rc, &e, stage, L("backup failed", "备份失败"));
	printf("%s %s\n", L("backed up to", "已备份到"), argv[optind]);
	return 0;
}
