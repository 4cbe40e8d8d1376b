/*
 * cmd-serve.c - run the HTTP server.
 */
#define LOG_MOD "serve"
#include "cli/cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/ack.h"
#include "app/app.h"
#include "app/delivery.h"
#include "app/notify.h"
#include "app/tick.h"
#include "http/server.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/netaddr.h"

static int serve_run(int argc, char **argv);

const struct cli_cmd cmd_serve = {
	.name = "serve",
	.usage = "erms serve [--listen HOST:PORT] [--db PATH] [options]",
	.summary_en = "Serve the API, the web console and the status page",
	.summary_zh = "运行 API、Web 控制台和状态页服务",
	.help_en =
		"  --listen HOST:PORT   address (default 127.0.0.1:8080; port 0\n"
		"                       picks a free one)\n"
		"  --db PATH            database (default $ERMS_DB or erms.db)\n"
		"  --key FILE           key file (default PATH.key; made, mode\n"
		"                       0600, when the database has no key yet;\n"
		"                       required for a postgres:// URL)\n"
		"  --anchor FILE        audit anchor (default: the key file's name\n"
		"                       with .anchor for .key)\n"
		"  --port-file FILE     write the bound port to FILE\n"
		"  --threads N          I/O threads (default: one per core)\n"
		"  --timeout SECONDS    idle connection timeout (default 30)\n"
		"  --request-timeout S  a request's headers and body must arrive\n"
		"                       within S seconds, however slowly (30)\n"
		"  --max-connections N  past N open connections, requests are\n"
		"                       answered 503 (/healthz still 200) (1024)\n"
		"  --per-ip-connections N  connections from one address (256; 0:\n"
		"                       no limit)\n"
		"  --body-max BYTES     largest request body (default 1048576)\n"
		"  --session-idle MIN   sign-out after MIN idle minutes (720)\n"
		"  --session-lifetime H  sign-out H hours after sign-in,\n"
		"                       however active (168)\n"
		"  --commit MODE        group (default) or single: one commit\n"
		"                       per write, for comparison\n"
		"  --log-level LEVEL    debug, info (default), warn, error\n"
		"  --test-clock         let an administrator set the clock\n"
		"                       (POST /api/v1/test/clock); tests only\n"
		"  --public-url URL     the console's address, used in the links\n"
		"                       of notifications (default http://LISTEN);\n"
		"                       https:// turns on Secure cookies and HSTS\n"
		"  --tls-proxy          a TLS-terminating proxy is in front: Secure\n"
		"                       cookies and HSTS whatever --public-url says\n"
		"  --metrics-token T    /metrics wants \"Authorization: Bearer T\"\n"
		"                       (default $ERMS_METRICS_TOKEN; none: open)\n"
		"  --metrics-allow LIST /metrics only from these addresses or\n"
		"                       networks, e.g. 127.0.0.1,10.0.0.0/8,::1\n"
		"  --allow-private-webhooks  channel URLs may point at loopback,\n"
		"                       link-local and private addresses\n"
		"                       (on-premises robots; tests)\n"
		"  --notify-attempts N  deliveries tried before a message fails (8)\n"
		"  --notify-backoff-ms MS  the first retry's delay (2000), doubling\n"
		"  --notify-lease-ms MS  messages a node takes are its own this\n"
		"                       long (120000): of a node that stops, they\n"
		"                       are sent by any node after it\n"
		"  --drill-warn-days N  tell command HQ of overdue drills N days\n"
		"                       before the year ends (30; 0: never)\n"
		"  --event-retention-days D  keep the event log (replay of live\n"
		"                       updates) D days (7; 0: no limit by age)\n"
		"  --event-retention-events N  ... and at most its newest N\n"
		"                       events (default: no limit by count)\n"
		"  --pack-dir DIR       keep the emergency pack of the plan in\n"
		"                       force in DIR (erms pack, docs/pack.md):\n"
		"                       rebuilt on each publication and nightly;\n"
		"                       DIR is replaced whole\n"
		"  --hash-slots N       password hashes at once, 64 MiB each\n"
		"                       (default 2, or 1 on one core)\n"
		"  --hash-queue N       sign-ins waiting for a slot (16); past\n"
		"                       them, or after 1 s, 503 busy\n"
		"\nSIGTERM or SIGINT stops it: requests in flight finish, the\n"
		"database is closed cleanly.\n",
	.help_zh =
		"  --listen HOST:PORT   监听地址（默认 127.0.0.1:8080；端口 0 表示\n"
		"                       自动选择空闲端口）\n"
		"  --db PATH            数据库（默认 $ERMS_DB 或 erms.db）\n"
		"  --key FILE           密钥文件（默认 PATH.key；数据库尚无密钥时\n"
		"                       自动创建，权限 0600；数据库为 postgres:// URL\n"
		"                       时必须给出）\n"
		"  --anchor FILE        审计锚点文件（默认与密钥文件同名，扩展名\n"
		"                       .key 换为 .anchor）\n"
		"  --port-file FILE     把实际端口写入 FILE\n"
		"  --threads N          I/O 线程数（默认每个 CPU 核一个）\n"
		"  --timeout SECONDS    空闲连接超时（默认 30）\n"
		"  --request-timeout S  请求头和请求体须在 S 秒内到齐，无论多慢（30）\n"
		"  --max-connections N  打开的连接超过 N 个时请求答 503\n"
		"                       （/healthz 仍答 200）（1024）\n"
		"  --per-ip-connections N  同一地址的连接数上限（256；0 为不限）\n"
		"  --body-max BYTES     请求体上限（默认 1048576）\n"
		"  --session-idle MIN   空闲 MIN 分钟后会话失效（默认 720）\n"
		"  --session-lifetime H  登录 H 小时后会话失效，无论是否活跃\n"
		"                       （默认 168）\n"
		"  --commit MODE        group（默认，组提交）或 single（每次写入\n"
		"                       单独提交，用于对比）\n"
		"  --log-level LEVEL    debug、info（默认）、warn、error\n"
		"  --test-clock         允许管理员设置时钟（POST /api/v1/test/clock）；\n"
		"                       仅用于测试\n"
		"  --public-url URL     控制台地址，用于通知中的链接\n"
		"                       （默认 http://LISTEN）；https:// 时 Cookie 带\n"
		"                       Secure 并发送 HSTS\n"
		"  --tls-proxy          前面有终结 TLS 的代理：无论 --public-url\n"
		"                       如何，Cookie 都带 Secure 并发送 HSTS\n"
		"  --metrics-token T    访问 /metrics 须带 \"Authorization: Bearer T\"\n"
		"                       （默认 $ERMS_METRICS_TOKEN；未设置则开放）\n"
		"  --metrics-allow LIST 只允许这些地址或网段访问 /metrics，\n"
		"                       如 127.0.0.1,10.0.0.0/8,::1\n"
		"  --allow-private-webhooks  允许通道 URL 指向本机、链路本地和\n"
		"                       私有地址（内网机器人；测试用）\n"
		"  --notify-attempts N  通知投递失败前的尝试次数（8）\n"
		"  --notify-backoff-ms MS  首次重试间隔（2000），逐次加倍\n"
		"  --notify-lease-ms MS  节点取走的消息归其所有的时长（120000）；\n"
		"                       节点停止后，此后由任一节点发送\n"
		"  --drill-warn-days N  年底前 N 天向应急指挥部通报未完成的演练（30；0 为不通报）\n"
		"  --event-retention-days D  事件日志（实时更新的补发）保留 D 天\n"
		"                       （7；0 为不按时间清理）\n"
		"  --event-retention-events N  且至多保留最新的 N 条事件\n"
		"                       （默认不按条数清理）\n"
		"  --pack-dir DIR       在 DIR 中保留现行预案的应急包（erms pack，\n"
		"                       docs/pack.md）：每次发布及每晚重新生成；\n"
		"                       DIR 整体替换\n"
		"  --hash-slots N       同时计算的密码哈希数，每个占 64 MiB\n"
		"                       （默认 2，单核为 1）\n"
		"  --hash-queue N       等待哈希的登录数（16）；超出或等待 1 秒\n"
		"                       仍无空位时答 503（忙）\n"
		"\n收到 SIGTERM 或 SIGINT 后停止：进行中的请求会完成，数据库\n"
		"正常关闭。\n",
	.run = serve_run,
};

int cli_serve(const struct app_config *cfg, const struct http_opts *o,
	      void (*banner)(int port, void *ctx), void *ctx)
{
	struct app app;
	struct delivery worker;
	struct app_ticker ticker;
	bool ticking = false;
	struct http_server *srv;
	struct errbuf e = { 0 };
	sigset_t set;
	int sig, rc;

	/* Block the stop signals before any thread starts, so that only
	 * sigwait() below sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = app_open(&app, cfg, &e);
	if (rc)
		return cli_fail(rc, &e, L("cannot start", "无法启动"));
	/* The domain's timers start before the server, as they did when
	 * the server ran them: their first run is a second after start. */
	rc = app_ticker_start(&ticker, &app);
	ticking = !rc;
	if (!rc)
		rc = http_start(&srv, &app, o, &e);
	if (!rc && cfg->public_url) {
		notify_set_base_url(cfg->public_url);
	} else if (!rc) {
		char url[128], host[64];

		/* The address bound, with the port actually chosen. */
		snprintf(host, sizeof(host), "%s", o->listen);
		if (strrchr(host, ':'))
			*strrchr(host, ':') = '\0';
		snprintf(url, sizeof(url), "http://%s:%d", host, http_port(srv));
		notify_set_base_url(url);
	}
	if (!rc && (rc = delivery_start(&worker, &app, cfg->notify_attempts,
					cfg->notify_backoff_ms)))
		http_stop(srv, 0);
	if (rc) {
		if (ticking)
			app_ticker_stop(&ticker);
		app_close(&app);
		return cli_fail(rc, &e, L("cannot start", "无法启动"));
	}
	log_info("listening listen=%s port=%d db=%s", o->listen,
		 http_port(srv), cfg->db_url);
	if (banner)
		banner(http_port(srv), ctx);
	sigwait(&set, &sig);
	log_info("stopping signal=%d", sig);
	app_ticker_stop(&ticker);
	http_stop(srv, 10000);
	delivery_stop(&worker);
	app_close(&app);
	log_info("stopped");
	return 0;
}

static bool number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int serve_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "anchor", required_argument, NULL, 'A' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "body-max", required_argument, NULL, 'b' },
		{ "request-timeout", required_argument, NULL, 'R' },
		{ "max-connections", required_argument, NULL, 'N' },
		{ "per-ip-connections", required_argument, NULL, 'I' },
		{ "session-idle", required_argument, NULL, 's' },
		{ "session-lifetime", required_argument, NULL, 'S' },
		{ "commit", required_argument, NULL, 'c' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "test-clock", no_argument, NULL, 'C' },
		{ "public-url", required_argument, NULL, 'u' },
		{ "tls-proxy", no_argument, NULL, 'X' },
		{ "allow-private-webhooks", no_argument, NULL, 'P' },
		{ "metrics-token", required_argument, NULL, 'M' },
		{ "metrics-allow", required_argument, NULL, 'm' },
		{ "notify-attempts", required_argument, NULL, 'a' },
		{ "notify-backoff-ms", required_argument, NULL, 'B' },
		{ "notify-lease-ms", required_argument, NULL, 'G' },
		{ "drill-warn-days", required_argument, NULL, 'W' },
		{ "event-retention-days", required_argument, NULL, 'E' },
		{ "event-retention-events", required_argument, NULL, 'e' },
		{ "hash-slots", required_argument, NULL, 'H' },
		{ "hash-queue", required_argument, NULL, 'Q' },
		{ "pack-dir", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	struct app_config cfg = { .max_batch = 512 };
	struct http_opts o = { .listen = "127.0.0.1:8080" };
	const char *db = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int hash_slots = ncpu > 1 ? 2 : 1, hash_queue = 16;
	long v;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': o.listen = optarg; break;
		case 'd': db = optarg; break;
		case 'k': cfg.key_path = optarg; break;
		case 'A': cfg.anchor_path = optarg; break;
		case 'p': o.port_file = optarg; break;
		case 't':
			if (!number(optarg, 1, 256, &v))
				return cli_usage(&cmd_serve);
			o.threads = (int)v;
			break;
		case 'T':
			if (!number(optarg, 1, 3600, &v))
				return cli_usage(&cmd_serve);
			o.timeout_s = (int)v;
			break;
		case 'R':
			if (!number(optarg, 1, 3600, &v))
				return cli_usage(&cmd_serve);
			o.request_timeout_s = (int)v;
			break;
		case 'N':
			if (!number(optarg, 1, 1000000, &v))
				return cli_usage(&cmd_serve);
			o.max_conns = (int)v;
			break;
		case 'I':
			if (!number(optarg, 0, 1000000, &v))
				return cli_usage(&cmd_serve);
			o.per_ip_conns = v ? (int)v : -1;
			break;
		case 'b':
			if (!number(optarg, 1024, 64L << 20, &v))
				return cli_usage(&cmd_serve);
			o.body_max = (size_t)v;
			break;
		case 's':
			if (!number(optarg, 1, 525600, &v))
				return cli_usage(&cmd_serve);
			cfg.session_idle_ms = v * 60000LL;
			break;
		case 'S':
			if (!number(optarg, 1, 8760, &v))
				return cli_usage(&cmd_serve);
			cfg.session_max_ms = v * 3600000LL;
			break;
		case 'c':
			if (strcmp(optarg, "group") && strcmp(optarg, "single"))
				return cli_usage(&cmd_serve);
			cfg.max_batch = strcmp(optarg, "single") ? 512 : 1;
			break;
		case 'W':
			if (!number(optarg, 0, 366, &v))
				return cli_usage(&cmd_serve);
			cfg.drill_warn_days = v ? (int)v : -1;
			break;
		case 'E':
			if (!number(optarg, 0, 36500, &v))
				return cli_usage(&cmd_serve);
			cfg.event_retention_days = v ? (int)v : -1;
			break;
		case 'e':
			if (!number(optarg, 1, 1000000000, &v))
				return cli_usage(&cmd_serve);
			cfg.event_retention_events = v;
			break;
		case 'H':
			if (!number(optarg, 1, 64, &v))
				return cli_usage(&cmd_serve);
			hash_slots = (int)v;
			break;
		case 'Q':
			if (!number(optarg, 0, 100000, &v))
				return cli_usage(&cmd_serve);
			hash_queue = (int)v;
			break;
		case 'C':
			cfg.test_clock = true;
			break;
		case 'K':
			cfg.pack_dir = optarg;
			break;
		case 'u':
			cfg.public_url = optarg;
			if (!strncasecmp(optarg, "https://", 8))
				cfg.https = true;
			break;
		case 'X':
			cfg.https = true;
			break;
		case 'P':
			cfg.allow_private_webhooks = true;
			break;
		case 'M':
			if (!*optarg)
				return cli_usage(&cmd_serve);
			cfg.metrics_token = optarg;
			break;
		case 'm':
			if (!addr_list_valid(optarg))
				return cli_usage(&cmd_serve);
			cfg.metrics_allow = optarg;
			break;
		case 'a':
			if (!number(optarg, 1, 100, &v))
				return cli_usage(&cmd_serve);
			cfg.notify_attempts = (int)v;
			break;
		case 'B':
			if (!number(optarg, 1, 3600000, &v))
				return cli_usage(&cmd_serve);
			cfg.notify_backoff_ms = v;
			break;
		case 'G':
			if (!number(optarg, 1000, 3600000, &v))
				return cli_usage(&cmd_serve);
			cfg.notify_lease_ms = v;
			break;
		case 'L':
			if (log_level_parse(optarg) < 0)
				return cli_usage(&cmd_serve);
			log_threshold = (enum log_level)log_level_parse(optarg);
			break;
		default:
			return cli_usage(&cmd_serve);
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_serve);
	cfg.db_url = cli_db(db);
	if (cli_need_key(cfg.db_url, cfg.key_path))
		return 2;
	if (!cfg.metrics_token && getenv("ERMS_METRICS_TOKEN") &&
	    *getenv("ERMS_METRICS_TOKEN"))
		cfg.metrics_token = getenv("ERMS_METRICS_TOKEN");
	cfg.readers = (o.threads > 0 ? o.threads : 4) + 2;
	if (pwgate_setup(hash_slots, hash_queue, 1000)) {
		log_error("cannot start the password threads");
		return 1;
	}
	rc = cli_serve(&cfg, &o, NULL, NULL);
	pwgate_stop();
	return rc;
}
