/*
 * seed.c - fill a database with many incidents for the list and search
 * benchmarks: `erms-bench-seed DB N`.
 *
 * Creates the database if needed, publishes tests/data/plan-minimal.yaml
 * (read from the path in $ERMS_SEED_PLAN), and reports N incidents through
 * the same use case as the API (app_incident_report), one in 500 and the
 * newest twenty with a public bulletin, all but the newest twenty then
 * dismissed, 1000 per transaction, with titles drawn from a small
 * vocabulary (Chinese, and two Latin product names) so that searches hit
 * realistic fractions. A line on stderr every 50,000 shows the rate: a
 * million incidents take a while.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/bulletins.h"
#include "app/incidents.h"
#include "app/plans.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"

static const char *const things[] = { "数据库", "主库", "交易系统", "网关",
				      "缓存集群", "消息队列", "核心网络",
				      "存储阵列", "认证服务", "支付接口",
				      "Redis 集群", "Nginx 网关" };
static const char *const faults[] = { "宕机", "响应缓慢", "连接超时",
				      "磁盘告警", "CPU 过高", "证书过期",
				      "同步延迟", "流量异常" };

#define NTHINGS (sizeof(things) / sizeof(things[0]))
#define NFAULTS (sizeof(faults) / sizeof(faults[0]))

static int die(const char *what, int rc)
{
	fprintf(stderr, "erms-bench-seed: %s: %s\n", what, erms_strerror(rc));
	return 1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	*len = fread(p, 1, (size_t)n, f);
	p[*len] = '\0';
	fclose(f);
	return p;
}

int main(int argc, char **argv)
{
	struct principal root = { .user = { .id = 1, .locale = "zh-CN" } };
	struct plan_version v = { 0 };
	struct errbuf e = { 0 };
	struct store *st;
	json_t *errors = json_array(), *content = NULL;
	const char *plan = getenv("ERMS_SEED_PLAN");
	int64_t now = clock_now_ms(), users;
	long n;
	size_t len;
	char *yaml;
	int from, to, rc;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: erms-bench-seed DB N\n");
		return 2;
	}
	crypto_init();
	if ((rc = store_open(&st, argv[1], STORE_CREATE, &e)) ||
	    (rc = store_migrate(st, &from, &to, &e)))
		return die("open", rc);
	if ((rc = store_user_count(st, &users)) || users == 0)
		return die("the database needs its administrator (erms init)",
			   rc ? rc : ERMS_EINVAL);
	/* Act as the administrator, with every right the steps need. */
	root.actor = (struct actor){ .user_id = 1, .is_admin = true,
				     .in_leadership = true, .reviewer = true,
				     .in_command = true };
	yaml = slurp(plan ? plan : "tests/data/plan-minimal.yaml", &len);
	if (!yaml || plan_parse("plan", yaml, len, &content, errors))
		return die("the plan", ERMS_EINVAL);
	if ((rc = store_begin(st)) ||
	    (rc = app_plan_import(st, &root, content, "plan", yaml, now, &v,
				  &e)) ||
	    (rc = app_plan_step(st, &root, v.plan_id, v.n, PVS_SUBMIT, NULL,
				now, &v, &e)))
		return die(e.msg, rc);
	/* The author may not approve: approve as a second user. */
	{
		struct user u = { .login = "bench-approver",
				  .display_name = "bench", .locale = "zh-CN",
				  .created_ms = now };

		if (store_user_by_login(st, u.login, &u, NULL, 0) &&
		    (rc = store_user_insert(st, &u, "-")))
			return die("approver", rc);
		root.user.id = root.actor.user_id = u.id;
	}
	if ((rc = app_plan_step(st, &root, v.plan_id, v.n, PVS_APPROVE, NULL,
				now, &v, &e)) ||
	    (rc = app_plan_step(st, &root, v.plan_id, v.n, PVS_PUBLISH, NULL,
				now, &v, &e)) ||
	    (rc = store_commit(st)))
		return die(e.msg, rc);
	root.user.id = root.actor.user_id = 1;
	srand(42);
	for (long i = 0; i < n; i++) {
		char title[128];
		struct incident_input in = { .title = title,
					     .category = "system-failure",
					     .description = "自动生成的基准数据" };
		struct incident_row r = { 0 };

		snprintf(title, sizeof(title), "%s%s #%ld",
			 things[rand() % NTHINGS], faults[rand() % NFAULTS], i);
		if (i % 1000 == 0 && (rc = store_begin(st)))
			return die("begin", rc);
		rc = app_incident_report(st, &root, &in,
					 now - (n - i) * 1000, &r, &e);
		/* History is handled: all but the newest few are dismissed,
		 * so the timers see what a live system sees. */
		if (!rc && i < n - 20) {
			struct incident_args a = { .reason = "已核实，无需启动" };
			char key[24];

			snprintf(key, sizeof(key), "%lld", (long long)r.inc.id);
			rc = app_incident_act(st, &root, key, IA_DISMISS, &a,
					      now - (n - i) * 1000 + 500, &r,
					      &e);
		}
		/* Some carry a public bulletin: the status page's history. */
		if (!rc && (i % 500 == 0 || i >= n - 20)) {
			struct bulletin b = { 0 };
			char key[24];

			snprintf(key, sizeof(key), "%lld", (long long)r.inc.id);
			rc = app_bulletin_post(st, &root, key,
					       "系统故障正在处理，请稍候。/ We are "
					       "working on it.", true,
					       now - (n - i) * 1000 + 200, &b, &e);
		}
		incident_row_release(&r);
		if (rc)
			return die(e.msg, rc);
		if ((i % 1000 == 999 || i == n - 1) && (rc = store_commit(st)))
			return die("commit", rc);
		if (i % 50000 == 49999)
			fprintf(stderr, "erms-bench-seed: %ld incidents, %.0f/s\n",
				i + 1, (i + 1) * 1000.0 /
				(double)(clock_now_ms() - now + 1));
	}
	plan_version_release(&v);
	json_decref(content);
	json_decref(errors);
	free(yaml);
	store_close(st);
	printf("%ld incidents\n", n);
	return 0;
}
