/*
 * cmd-init.c - create a database and its first administrator.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "core/types.h"
#include "util/tz.h"

static int init_run(int argc, char **argv);

const struct cli_cmd cmd_init = {
	.name = "init",
	.usage = "erms init [--db PATH] [--key FILE] --admin LOGIN [--name NAME] "
		 "[--time-zone ZONE] < password",
	.summary_en = "Create the database and its first administrator",
	.summary_zh = "创建数据库及第一个管理员",
	.help_en =
		"The administrator's password is read from the first line of\n"
		"standard input (8 to 256 bytes).\n\n"
		"  --db PATH      database (default $ERMS_DB or erms.db)\n"
		"  --key FILE     key file to create (default PATH.key, mode\n"
		"                 0600): keep it, and a copy apart from the\n"
		"                 database; the audit anchor goes next to it.\n"
		"                 Required for a postgres:// URL\n"
		"  --admin LOGIN  the administrator's login\n"
		"  --name NAME    the administrator's display name\n"
		"  --time-zone ZONE  the organisation's time zone, an IANA\n"
		"                 name (default Asia/Shanghai); times in\n"
		"                 messages, reports and files are shown in it\n",
	.help_zh =
		"管理员密码从标准输入的第一行读取（8 至 256 字节）。\n\n"
		"  --db PATH      数据库（默认 $ERMS_DB 或 erms.db）\n"
		"  --key FILE     要创建的密钥文件（默认 PATH.key，权限 0600）：\n"
		"                 请妥善保管并与数据库分开备份；审计锚点文件\n"
		"                 放在它旁边。数据库为 postgres:// URL 时必须给出\n"
		"  --admin LOGIN  管理员登录名\n"
		"  --name NAME    管理员显示名称\n"
		"  --time-zone ZONE  本单位的时区，IANA 名称（默认\n"
		"                 Asia/Shanghai）；消息、报告和文件中的时间\n"
		"                 按此时区显示\n",
	.run = init_run,
};

static int init_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "admin", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "time-zone", required_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *key = NULL, *login = NULL, *name = NULL;
	const char *zone = TZ_DEFAULT;
	struct user u = { .is_admin = true, .locale = "zh-CN" };
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	char pw[PASSWORD_MAX + 2];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'k')
			key = optarg;
		else if (c == 'a')
			login = optarg;
		else if (c == 'n')
			name = optarg;
		else if (c == 'z')
			zone = optarg;
		else
			return cli_usage(&cmd_init);
	}
	if (!login || optind != argc)
		return cli_usage(&cmd_init);
	if (cli_need_key(cli_db(db), key))
		return 2;
	if (!login_valid(login)) {
		fprintf(stderr, "erms: %s '%s'\n",
			L("bad login", "登录名无效"), login);
		return 2;
	}
	if (!tz_valid(zone)) {
		fprintf(stderr, "erms: %s '%s'\n",
			L("not a time zone of the tz database (e.g. "
			  "Asia/Shanghai):", "不是时区数据库中的时区（如 "
			  "Asia/Shanghai）："), zone);
		return 2;
	}
	if (!cli_read_line(pw, sizeof(pw)) || !password_valid(pw)) {
		fprintf(stderr, "erms: %s\n",
			L("give the password (8 to 256 bytes) on standard input",
			  "请在标准输入中提供密码（8 至 256 字节）"));
		return 2;
	}
	snprintf(u.login, sizeof(u.login), "%s", login);
	snprintf(u.display_name, sizeof(u.display_name), "%s",
		 name ? name : login);
	rc = app_db_init(cli_db(db), key, &u, pw, zone, &stage, &e);
	if (rc)
		return cli_db_fail(rc, &e, stage, stage == APP_DB_KEY ?
				   L("cannot open the key file", "无法打开密钥文件") :
				   L("cannot create the administrator", "无法创建管理员"));
	printf("%s '%s' %s %s\n", L("administrator", "管理员"), login,
	       L("created in", "已创建于"), cli_db(db));
	return 0;
}
