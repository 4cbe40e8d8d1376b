/*
 * cmd-init.c - create a database and its first administrator.
 */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/keys.h"
#include "core/account.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"

static int init_run(int argc, char **argv);

const struct cli_cmd cmd_init = {
	.name = "init",
	.usage = "erms init [--db PATH] [--key FILE] --admin LOGIN [--name NAME] "
		 "< password",
	.summary_en = "Create the database and its first administrator",
	.summary_zh = "创建数据库及第一个管理员",
	.help_en =
		"The administrator's password is read from the first line of\n"
		"standard input (8 to 256 bytes).\n\n"
		"  --db PATH      database (default $ERMS_DB or erms.db)\n"
		"  --key FILE     key file to create (default PATH.key, mode\n"
		"                 0600): keep it, and a copy apart from the\n"
		"                 database; the audit anchor goes next to it\n"
		"  --admin LOGIN  the administrator's login\n"
		"  --name NAME    the administrator's display name\n",
	.help_zh =
		"管理员密码从标准输入的第一行读取（8 至 256 字节）。\n\n"
		"  --db PATH      数据库（默认 $ERMS_DB 或 erms.db）\n"
		"  --key FILE     要创建的密钥文件（默认 PATH.key，权限 0600）：\n"
		"                 请妥善保管并与数据库分开备份；审计锚点文件\n"
		"                 放在它旁边\n"
		"  --admin LOGIN  管理员登录名\n"
		"  --name NAME    管理员显示名称\n",
	.run = init_run,
};

/* Create one user in its own transaction; shared with `erms demo`. */
int cli_create_user(struct store *st, struct user *u, const char *password,
		    struct errbuf *e)
{
	char h[PWHASH_LEN];
	int rc;

	if (password_hash(password, h))
		return err_ret(e, ERMS_ESTORE, "unavailable",
			       "cannot hash the password");
	rc = store_begin(st);
	if (!rc)
		rc = app_user_create(st, &principal_system, u, h,
				     clock_now_ms(), e);
	if (!rc)
		rc = store_commit(st);
	else
		store_rollback(st);
	return rc;
}

static int init_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "admin", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *key = NULL, *login = NULL, *name = NULL;
	struct user u = { .is_admin = true, .locale = "zh-CN" };
	struct errbuf e = { 0 };
	struct store *st;
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
		else
			return cli_usage(&cmd_init);
	}
	if (!login || optind != argc)
		return cli_usage(&cmd_init);
	if (!login_valid(login)) {
		fprintf(stderr, "erms: %s '%s'\n",
			L("bad login", "登录名无效"), login);
		return 2;
	}
	if (!cli_read_line(pw, sizeof(pw)) || !password_valid(pw)) {
		fprintf(stderr, "erms: %s\n",
			L("give the password (8 to 256 bytes) on standard input",
			  "请在标准输入中提供密码（8 至 256 字节）"));
		return 2;
	}
	if ((rc = cli_open_store(cli_db(db), true, &st)))
		return rc;
	rc = keys_open_store(st, cli_db(db), key, NULL, true, &e);
	if (rc) {
		store_close(st);
		return cli_fail(rc, &e, L("cannot open the key file",
					  "无法打开密钥文件"));
	}
	snprintf(u.login, sizeof(u.login), "%s", login);
	snprintf(u.display_name, sizeof(u.display_name), "%s",
		 name ? name : login);
	rc = cli_create_user(st, &u, pw, &e);
	if (!rc)
		rc = audit_anchor_write(st);
	store_close(st);
	if (rc)
		return cli_fail(rc, &e, L("cannot create the administrator",
					  "无法创建管理员"));
	printf("%s '%s' %s %s\n", L("administrator", "管理员"), login,
	       L("created in", "已创建于"), cli_db(db));
	return 0;
}
