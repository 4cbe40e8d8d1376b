/*
 * cmd-copy.c - move an installation: every row of one database into an
 * empty one, e.g. from an SQLite file to PostgreSQL.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

static int copy_run(int argc, char **argv);

const struct cli_cmd cmd_copy = {
	.name = "copy",
	.usage = "erms copy --from DB --to DB",
	.summary_en = "Copy every row of a database into an empty one",
	.summary_zh = "将数据库的全部数据复制到一个空数据库",
	.help_en = "Moves an installation, e.g. from SQLite to PostgreSQL:\n"
		   "erms copy --from erms.db --to postgres://erms@db1/erms\n"
		   "Stop the server first. The target is created and migrated\n"
		   "if needed and must hold no data; everything is copied with\n"
		   "its ids in one transaction (the search index is rebuilt).\n"
		   "The key file and the audit anchor are not part of a\n"
		   "database: move them with it, and serve and verify the\n"
		   "copy with them (erms serve --key SOURCE.key ...,\n"
		   "erms audit verify --db TARGET --key SOURCE.key).\n\n"
		   "  --from DB   source database (path or postgres:// URL)\n"
		   "  --to DB     target database (path or postgres:// URL)\n",
	.help_zh = "迁移一套安装，例如从 SQLite 迁到 PostgreSQL：\n"
		   "erms copy --from erms.db --to postgres://erms@db1/erms\n"
		   "请先停止服务。目标库如需会被创建并迁移，且不能已有数据；\n"
		   "全部数据连同编号在一个事务内复制（搜索索引重建）。\n"
		   "密钥文件和审计锚点不在数据库中：请随库一起迁移，\n"
		   "并用它们运行和校验副本（erms serve --key SOURCE.key ...，\n"
		   "erms audit verify --db TARGET --key SOURCE.key）。\n\n"
		   "  --from DB   源数据库（路径或 postgres:// URL）\n"
		   "  --to DB     目标数据库（路径或 postgres:// URL）\n",
	.run = copy_run,
};

/* app_copy_fn: one line per table. */
static void copied(void *ctx, const char *table, int64_t rows)
{
	int64_t *total = ctx;

	*total += rows;
	printf("  %-20s %" PRId64 "\n", table, rows);
}

static int copy_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL;
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	int64_t total = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			from = optarg;
		else if (c == 't')
			to = optarg;
		else
			return cli_usage(&cmd_copy);
	}
	if (!from || !to || optind != argc)
		return cli_usage(&cmd_copy);
	printf("%s %s -> %s\n", L("copying", "正在复制"), from, to);
	rc = app_copy(from, to, copied, &total, &stage, &e);
	if (rc == ERMS_ECONFLICT)
		return cli_fail(rc, &e, L("the target is not empty",
					  "目标数据库不是空的"));
	if (rc)
		return cli_db_fail(rc, &e, stage, L("copy failed", "复制失败"));
	printf("%s: %" PRId64 " %s\n", L("copied", "已复制"), total,
	       L("rows", "行"));
	return 0;
}
