/*
 * cmd-audit.c - check the audit chain.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int audit_run(int argc, char **argv);

const struct cli_cmd cmd_audit = {
	.name = "audit",
	.usage = "erms audit verify [--db PATH] [--key FILE] [--anchor FILE]",
	.summary_en = "Verify that no audit row was edited or removed",
	.summary_zh = "校验审计日志未被篡改或删除",
	.help_en = "Checks each row's HMAC under the key file's audit key, that\n"
		   "the rows follow each other, and that the anchor's newest row\n"
		   "is there with its MAC (so removing the newest rows or\n"
		   "recomputing the chain is found). Exits 0 when it is intact,\n"
		   "1 naming the first row that was edited or removed.\n"
		   "\n  --db PATH      database (default $ERMS_DB or erms.db)\n"
		   "  --key FILE     key file (default PATH.key; required for a\n"
		   "                 postgres:// URL)\n"
		   "  --anchor FILE  anchor (default: the key file's name with\n"
		   "                 .anchor for .key)\n",
	.help_zh = "用密钥文件中的审计密钥校验每条记录的 HMAC、记录之间的链接，\n"
		   "并确认锚点文件所记的最新记录及其 MAC 仍在（因此删除最新记录\n"
		   "或重新计算整条链都会被发现）。完整时退出码为 0，否则为 1，\n"
		   "并指出第一条被修改或删除的记录。\n"
		   "\n  --db PATH      数据库（默认 $ERMS_DB 或 erms.db）\n"
		   "  --key FILE     密钥文件（默认 PATH.key；数据库为 postgres://\n"
		   "                 URL 时必须给出）\n"
		   "  --anchor FILE  锚点文件（默认与密钥文件同名，扩展名 .key\n"
		   "                 换为 .anchor）\n",
	.run = audit_run,
};

static int audit_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "anchor", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *key = NULL, *anchor = NULL;
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	int64_t rows = 0, bad = 0;
	char why[256];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'k')
			key = optarg;
		else if (c == 'A')
			anchor = optarg;
		else
			return cli_usage(&cmd_audit);
	}
	if (optind != argc - 1 || strcmp(argv[optind], "verify"))
		return cli_usage(&cmd_audit);
	if (cli_need_key(cli_db(db), key))
		return 2;
	rc = app_db_audit_verify(cli_db(db), key, anchor, &rows, &bad, why,
				 sizeof(why), &stage, &e);
	if (rc && stage != APP_DB_WORK)
		return cli_db_fail(rc, &e, stage,
				   L("cannot read the key file", "无法读取密钥文件"));
	if (rc == ERMS_ECONFLICT) {
		if (bad)
			printf("%s: %s (%s %" PRId64 ")\n",
			       L("audit chain broken", "审计链已损坏"), why,
			       L("row", "记录"), bad);
		else
			printf("%s: %s\n", L("audit chain broken",
					      "审计链已损坏"), why);
		return 1;
	}
	if (rc)
		return cli_fail(rc, &e, L("audit verify", "审计校验"));
	printf("%s: %" PRId64 " %s\n", L("audit chain intact", "审计链完整"),
	       rows, L("rows", "条记录"));
	return 0;
}
