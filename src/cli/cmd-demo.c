/*
 * cmd-demo.c - a ready-to-try erms on an embedded SQLite database (or
 * on a PostgreSQL database given with --db).
 *
 * The first run creates the database under the data folder with an
 * administrator, the organisation of the sample plan (leadership group,
 * command HQ, technical support team) and one demo user per role; later
 * runs reuse it (app/demo.h). Then it serves and prints the URL and the
 * logins.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "app/demo.h"
#include "http/server.h"

static int demo_run(int argc, char **argv);

const struct cli_cmd cmd_demo = {
	.name = "demo",
	.usage = "erms demo [--data DIR] [--db URL] [--listen HOST:PORT]"
		 " [--port-file F] [--smtp HOST:PORT]\n"
		 "                 [--allow-private-webhooks] [--pack-dir DIR]",
	.summary_en = "Serve a demo database with sample users",
	.summary_zh = "使用示例数据运行演示服务",
	.help_en =
		"  --data DIR           data folder (default $ERMS_DATA or\n"
		"                       ./erms-data); the database is DIR/erms.db\n"
		"                       and its key DIR/erms.db.key\n"
		"  --db URL             the database instead, e.g.\n"
		"                       postgres://USER@HOST/erms (created if\n"
		"                       missing); its key DIR/erms.key\n"
		"  --listen HOST:PORT   address (default 127.0.0.1:8080)\n"
		"  --port-file FILE     write the bound port to FILE\n"
		"  --allow-private-webhooks  channel URLs may point at loopback,\n"
		"                       link-local and private addresses (a\n"
		"                       robot receiver on this machine)\n"
		"  --smtp HOST:PORT     the mail server of the demo's e-mail\n"
		"                       channel (default 127.0.0.1:1025, a local\n"
		"                       mail catcher such as mailpit); set when\n"
		"                       the database is first made\n"
		"  --pack-dir DIR       keep the emergency pack in DIR (as\n"
		"                       erms serve --pack-dir)\n"
		"\nThe demo's messages: the console's Admin > Delivery log\n"
		"(#/admin/delivery: to whom, what, whether it went), 'erms\n"
		"notification list', and the mail catcher's inbox.\n",
	.help_zh =
		"  --data DIR           数据目录（默认 $ERMS_DATA 或 ./erms-data），\n"
		"                       数据库为 DIR/erms.db\n"
		"                       密钥为 DIR/erms.db.key\n"
		"  --db URL             改用该数据库，例如\n"
		"                       postgres://USER@HOST/erms（不存在则创建），\n"
		"                       密钥为 DIR/erms.key\n"
		"  --listen HOST:PORT   监听地址（默认 127.0.0.1:8080）\n"
		"  --port-file FILE     把实际端口写入 FILE\n"
		"  --allow-private-webhooks  允许通道 URL 指向本机、链路本地和\n"
		"                       内网地址（本机上的机器人接收端）\n"
		"  --smtp HOST:PORT     演示邮件渠道的邮件服务器（默认\n"
		"                       127.0.0.1:1025，本机的邮件接收工具，\n"
		"                       如 mailpit）；仅在首次创建数据库时设置\n"
		"  --pack-dir DIR       在 DIR 中保留最新的应急包（同\n"
		"                       erms serve --pack-dir）\n"
		"\n演示数据发出的消息：控制台“管理 > 发送记录”（#/admin/delivery：\n"
		"发给谁、内容、是否送达），'erms notification list'，以及邮件\n"
		"接收工具的收件箱。\n",
	.run = demo_run,
};

static void banner(int port, void *db)
{
	printf("\nerms demo: http://127.0.0.1:%d/\n%s %s\n%s:", port,
	       L("database", "数据库"), (const char *)db,
	       L("Sign in as", "登录账号"));
	for (size_t i = 0; app_demo_login(i); i++)
		printf(" %s", app_demo_login(i));
	printf("\n%s: %s\n%s\n\n", L("password", "密码"), APP_DEMO_PASSWORD,
	       L("Ctrl-C stops it.", "按 Ctrl-C 停止。"));
	fflush(stdout);
}

/* What a failed app_demo_prepare() could not do, for cli_db_fail(). */
static const char *failed(enum app_db_stage stage, enum app_demo_step part)
{
	if (stage == APP_DB_KEY)
		return L("cannot open the key file", "无法打开密钥文件");
	if (part == APP_DEMO_PEOPLE)
		return L("cannot prepare the demo data", "无法准备演示数据");
	if (part == APP_DEMO_PLAN)
		return L("cannot publish the sample plan", "无法发布示例预案");
	return L("cannot add the demo records", "无法添加演示数据");
}

static int demo_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'D' },
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "allow-private-webhooks", no_argument, NULL, 'P' },
		{ "smtp", required_argument, NULL, 's' },
		{ "pack-dir", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = getenv("ERMS_DATA");
	struct http_opts o = { .listen = "127.0.0.1:8080" };
	struct app_config cfg = { .max_batch = 512, .readers = 6 };
	struct errbuf e = { 0 };
	enum app_db_stage stage;
	enum app_demo_step part;
	const char *url = NULL, *smtp = NULL;
	char db[4096], key[4096];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'D')
			dir = optarg;
		else if (c == 'd')
			url = optarg;
		else if (c == 'l')
			o.listen = optarg;
		else if (c == 'p')
			o.port_file = optarg;
		else if (c == 'P')
			cfg.allow_private_webhooks = true;
		else if (c == 's')
			smtp = optarg;
		else if (c == 'K')
			cfg.pack_dir = optarg;
		else
			return cli_usage(&cmd_demo);
	}
	if (optind != argc)
		return cli_usage(&cmd_demo);
	if (!dir || !*dir)
		dir = "erms-data";
	if (mkdir(dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "erms: %s '%s': %s\n",
			L("cannot create", "无法创建"), dir, strerror(errno));
		return 1;
	}
	/* A server's database has no folder of its own: its key goes in
	 * the data folder. */
	snprintf(db, sizeof(db), "%s/erms.db", dir);
	snprintf(key, sizeof(key), "%s/erms.key", dir);
	if (url)
		snprintf(db, sizeof(db), "%s", url);
	rc = app_demo_prepare(db, url ? key : NULL, smtp, &stage, &part, &e);
	if (rc)
		return cli_db_fail(rc, &e, stage, failed(stage, part));
	cfg.db_url = db;
	cfg.key_path = url ? key : NULL;
	return cli_serve(&cfg, &o, banner, db);
}
