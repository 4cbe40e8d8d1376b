/*
 * cmd-audit.c - check the audit chain.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "store/store.h"

static int audit_run(int argc, char **argv);

const struct cli_cmd cmd_audit = {
	.name = "audit",
	.usage = "erms audit verify [--db PATH]",
	.summary_en = "Verify that no audit row was edited or removed",
	.summary_zh = "校验审计日志未被篡改或删除",
	.help_en = "Walks the hash chain of the audit log. Exits 0 when it is\n"
		   "intact, 1 naming the first row that was edited or removed.\n"
		   "\n  --db PATH   database (default $ERMS_DB or erms.db)\n",
	.help_zh = "逐行校验审计日志的哈希链。完整时退出码为 0，否则为 1，\n"
		   "并指出第一条被修改或删除的记录。\n"
		   "\n  --db PATH   数据库（默认 $ERMS_DB 或 erms.db）\n",
	.run = audit_run,
};

static int audit_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct store *st;
	int64_t rows = 0, bad = 0;
	char why[160];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else
			return cli_usage(&cmd_audit);
	}
	if (optind != argc - 1 || strcmp(argv[optind], "verify"))
		return cli_usage(&cmd_audit);
	if ((rc = cli_open_store(cli_db(db), false, &st)))
		return rc;
	rc = audit_verify(st, &rows, &bad, why, sizeof(why));
	store_close(st);
	if (rc == ERMS_ECONFLICT) {
		printf("%s: %s (%s %" PRId64 ")\n",
		       L("audit chain broken", "审计链已损坏"), why,
		       L("row", "记录"), bad);
		return 1;
	}
	if (rc)
		return cli_fail(rc, NULL, L("audit verify", "审计校验"));
	printf("%s: %" PRId64 " %s\n", L("audit chain intact", "审计链完整"),
	       rows, L("rows", "条记录"));
	return 0;
}
