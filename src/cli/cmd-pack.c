/*
 * cmd-pack.c - the emergency pack, written from the database without a
 * server, and the check of a copy (app/pack.h).
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/pack.h"
#include "util/clock.h"

static int pack_run(int argc, char **argv);

const struct cli_cmd cmd_pack = {
	.name = "pack",
	.usage = "erms pack --out DIR [--db PATH] [--key FILE]\n"
		 "       erms pack verify DIR [--db PATH] [--key FILE]",
	.summary_en = "Write the emergency pack (the plan on paper), or verify one",
	.summary_zh = "生成应急包（纸质预案），或校验应急包",
	.help_en = "pack --out DIR writes the pack of the plan in force from the\n"
		   "database, no server needed: plan.html (everything, offline),\n"
		   "plan.pdf, contacts.pdf (people, numbers, call tree,\n"
		   "regulators), duty.pdf (the next 30 days), supplies.pdf,\n"
		   "first-15-minutes.pdf, README.txt, manifest.json and its\n"
		   "signature manifest.sig. DIR is replaced whole.\n"
		   "pack verify DIR checks every file's SHA-256 and size, that\n"
		   "none is missing or added, and the signature; with --db or\n"
		   "--key, also that the installation's key signed it, else it\n"
		   "prints the key's fingerprint to compare. Exits 0 when the\n"
		   "pack is whole, 1 naming the file that fails.\n"
		   "See docs/pack.md.\n\n"
		   "  --out DIR   where the pack goes\n"
		   "  --db PATH   database (default $ERMS_DB or erms.db)\n"
		   "  --key FILE  key file (default PATH.key; required for a\n"
		   "              postgres:// URL)\n",
	.help_zh = "pack --out DIR 从数据库生成现行预案的应急包，无需服务：\n"
		   "plan.html（离线网页，包含全部内容）、plan.pdf、contacts.pdf\n"
		   "（人员、电话、上报链、监管部门）、duty.pdf（未来 30 天值班）、\n"
		   "supplies.pdf、first-15-minutes.pdf、README.txt、manifest.json\n"
		   "及其签名 manifest.sig。DIR 整体替换。\n"
		   "pack verify DIR 校验每个文件的 SHA-256 和大小、没有缺失或多出\n"
		   "的文件，以及签名；给出 --db 或 --key 时还确认由本安装的密钥签名，\n"
		   "否则打印密钥指纹以供核对。应急包完整时退出码为 0，否则为 1，\n"
		   "并指出出错的文件。详见 docs/pack.md。\n\n"
		   "  --out DIR   应急包写入的目录\n"
		   "  --db PATH   数据库（默认 $ERMS_DB 或 erms.db）\n"
		   "  --key FILE  密钥文件（默认 PATH.key；数据库为 postgres://\n"
		   "              URL 时必须给出）\n",
	.run = pack_run,
};

static int verify(const char *dir, const char *db, const char *key)
{
	unsigned char want[32], pk[32];
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	bool mine = db || key;
	char fp[48];
	int rc;

	if (mine) {
		if (db && cli_need_key(db, key))
			return 2;
		rc = app_pack_local_key(db, key, want, &stage, &e);
		if (rc)
			return cli_db_fail(rc, &e, stage,
					   L("cannot read the key file",
					     "无法读取密钥文件"));
	}
	rc = app_pack_verify(dir, mine ? want : NULL, pk, &e);
	if (rc == ERMS_ECONFLICT) {
		printf("%s: %s\n", L("pack NOT verified", "应急包校验失败"),
		       e.msg);
		return 1;
	}
	if (rc)
		return cli_fail(rc, &e, L("pack verify", "应急包校验"));
	app_pack_fingerprint(pk, fp);
	printf("%s\n", L("pack verified", "pack verified（应急包校验通过）"));
	if (mine)
		printf("%s: %s\n", L("signed with this installation's key",
				     "由本安装的密钥签名，指纹"), fp);
	else
		printf("%s: %s\n%s\n", L("signed with the key of fingerprint",
					 "签名密钥指纹"), fp,
		       L("compare it with `erms pack verify DIR --db PATH` on "
			 "the installation",
			 "请在本安装上用 `erms pack verify 目录 --db 数据库` "
			 "核对"));
	return 0;
}

static int pack_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *key = NULL, *out = NULL;
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	struct pack p;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'k')
			key = optarg;
		else if (c == 'o')
			out = optarg;
		else if (c == 'h')
			return cli_help(&cmd_pack);
		else
			return cli_usage(&cmd_pack);
	}
	if (!out && optind == argc - 2 && !strcmp(argv[optind], "verify"))
		return verify(argv[optind + 1], db, key);
	if (!out || optind != argc)
		return cli_usage(&cmd_pack);
	if (cli_need_key(cli_db(db), key))
		return 2;
	rc = app_pack_local(cli_db(db), key, out, clock_now_ms(), &p, &stage,
			    &e);
	if (rc) {
		pack_release(&p);
		return cli_db_fail(rc, &e, stage, L("cannot write the pack",
						     "无法生成应急包"));
	}
	printf("%s %s: %s v%d, %zu %s\n", L("pack written to", "应急包已写入"),
	       out, p.plan_key, p.plan_n, p.n, L("files", "个文件"));
	pack_release(&p);
	return 0;
}
