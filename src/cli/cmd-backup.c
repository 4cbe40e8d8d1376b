/*
 * cmd-backup.c - an online copy of the database.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "app/audit.h"
#include "store/store.h"

static int backup_run(int argc, char **argv);

const struct cli_cmd cmd_backup = {
	.name = "backup",
	.usage = "erms backup [--db PATH] FILE",
	.summary_en = "Copy the database to FILE while it is in use",
	.summary_zh = "在线备份数据库到 FILE",
	.help_en = "FILE must not exist. The server may keep running. The\n"
		   "backup's audit anchor goes to FILE.anchor; the key file is\n"
		   "not copied (keep it apart): verify a backup with\n"
		   "erms audit verify --db FILE --key KEY --anchor FILE.anchor\n\n"
		   "  --db PATH   database (default $ERMS_DB or erms.db)\n",
	.help_zh = "FILE 不能已存在。备份时服务可继续运行。备份的审计锚点写入\n"
		   "FILE.anchor；密钥文件不会被复制（请另行保管）：校验备份请用\n"
		   "erms audit verify --db FILE --key KEY --anchor FILE.anchor\n\n"
		   "  --db PATH   数据库（默认 $ERMS_DB 或 erms.db）\n",
	.run = backup_run,
};

/* FILE.anchor: the backup's own head, to verify it by later. */
static int anchor_backup(const char *file, struct errbuf *e)
{
	char path[4200];
	struct store *st;
	int rc = store_open(&st, file, STORE_READONLY, e);

	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s.anchor", file);
	rc = audit_anchor_copy(st, path);
	store_close(st);
	if (rc)
		return err_ret(e, rc, "io_error", "cannot write '%s'", path);
	return 0;
}

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
	if (!rc)
		rc = anchor_backup(argv[optind], &e);
	if (rc)
		return cli_fail(rc, &e, L("backup failed", "备份失败"));
	printf("%s %s\n", L("backed up to", "已备份到"), argv[optind]);
	return 0;
}
