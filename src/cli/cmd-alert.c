/*
 * cmd-alert.c - `erms alert send`: one PagerDuty Events API v2 event (or
 * a heartbeat) to an integration, for scripts and cron jobs. Needs no
 * sign-in: the integration's key is the credential, and no API token is
 * ever sent along.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int alert_run(int argc, char **argv);

const struct cli_cmd cmd_alert = {
	.name = "alert",
	.usage = "erms alert send --url URL [--key KEY] [--summary TEXT] "
		 "[--action A] [OPTIONS]",
	.summary_en = "Send an alert (an Events v2 event) or a heartbeat",
	.summary_zh = "发送一条告警（Events v2 事件）或一次心跳",
	.help_en =
		"  send --url URL               an integration's URL; or the\n"
		"       [--key KEY]             server's URL with the key (sent\n"
		"                               to /v2/enqueue as routing_key)\n"
		"       [--summary TEXT]        what is wrong (trigger needs it)\n"
		"       [--source NAME]         where (default: this host's name)\n"
		"       [--severity S]          critical, error (default),\n"
		"                               warning, info\n"
		"       [--dedup-key K]         the same K later acknowledges or\n"
		"                               resolves it; printed on success\n"
		"       [--action A]            trigger (default), acknowledge,\n"
		"                               resolve, or heartbeat\n"
		"       [--component C] [--group G] [--class C]\n"
		"       [--detail NAME=VALUE]...  custom details (repeatable)\n"
		"\n"
		"A heartbeat integration's URL takes any POST or GET, e.g. from\n"
		"cron: curl -fsS -X POST https://erms.example.org/api/v1/intake/KEY\n",
	.help_zh =
		"  send --url 地址              接入的推送地址；或服务器地址加\n"
		"       [--key 密钥]            密钥（作为 routing_key 发往\n"
		"                               /v2/enqueue）\n"
		"       [--summary 文本]        告警内容（trigger 必填）\n"
		"       [--source 名称]         告警来源（默认本机主机名）\n"
		"       [--severity 级别]       critical、error（默认）、\n"
		"                               warning、info\n"
		"       [--dedup-key 键]        之后以同一键确认或恢复；成功时打印\n"
		"       [--action 动作]         trigger（默认）、acknowledge、\n"
		"                               resolve 或 heartbeat（心跳）\n"
		"       [--component 组件] [--group 分组] [--class 类别]\n"
		"       [--detail 名称=值]...   自定义详情（可重复）\n"
		"\n"
		"心跳接入的地址接受任何 POST 或 GET，例如 cron 中：\n"
		"curl -fsS -X POST https://erms.example.org/api/v1/intake/密钥\n",
	.run = alert_run,
};

struct send_opts {
	const char *url, *key, *summary, *source, *severity, *dedup, *action;
	const char *component, *group, *class_;
	json_t *details;
	bool json;
};

/* The options of send; 2 after a message on a bad one. */
static int parse(int argc, char **argv, struct send_opts *o)
{
	struct {
		const char *flag;
		const char **to;
	} v[] = {
		{ "--url", &o->url }, { "--key", &o->key },
		{ "--summary", &o->summary }, { "--source", &o->source },
		{ "--severity", &o->severity }, { "--dedup-key", &o->dedup },
		{ "--action", &o->action }, { "--component", &o->component },
		{ "--group", &o->group }, { "--class", &o->class_ },
	};

	for (int i = 2; i < argc; i++) {
		char *name;
		size_t k;

		if (i + 1 >= argc)
			goto bad;
		if (!strcmp(argv[i], "--detail")) {
			const char *eq = strchr(argv[++i], '=');

			if (!eq || eq == argv[i]) {
				fprintf(stderr, "erms: --detail %s\n",
					L("takes NAME=VALUE", "须为 名称=值"));
				return 2;
			}
			name = xstrndup(argv[i], (size_t)(eq - argv[i]));
			json_object_set_new(o->details, name,
					    json_string(eq + 1));
			free(name);
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(v) && strcmp(argv[i], v[k].flag);
		     k++)
			;
		if (k == ARRAY_SIZE(v))
			goto bad;
		*v[k].to = argv[++i];
	}
	return 0;
bad:
	fprintf(stderr, "erms: %s\n", L("unknown option or missing value",
					"未知选项或缺少值"));
	return 2;
}

/* The Events v2 body of o. */
static json_t *event_body(const struct send_opts *o, const char *host)
{
	json_t *b = json_pack("{s:s}", "event_action", o->action);

	if (o->key)
		json_object_set_new(b, "routing_key", json_string(o->key));
	if (o->dedup)
		json_object_set_new(b, "dedup_key", json_string(o->dedup));
	if (!strcmp(o->action, "trigger")) {
		json_t *p = json_pack("{s:s, s:s, s:s}", "summary", o->summary,
				      "source", o->source ? o->source : host,
				      "severity",
				      o->severity ? o->severity : "error");

		if (o->component)
			json_object_set_new(p, "component",
					    json_string(o->component));
		if (o->group)
			json_object_set_new(p, "group", json_string(o->group));
		if (o->class_)
			json_object_set_new(p, "class", json_string(o->class_));
		if (json_object_size(o->details))
			json_object_set(p, "custom_details", o->details);
		json_object_set_new(b, "payload", p);
	}
	return b;
}

static int send_event(struct send_opts *o)
{
	struct client c;
	char *argv0[] = { (char *)"alert", NULL };
	int one = 1, status = 0, rc;
	json_t *body = NULL, *out = NULL;
	char host[256] = "localhost";
	const char *path;
	bool heartbeat = !strcmp(o->action, "heartbeat");

	if ((rc = client_init(&c, &one, argv0)))
		return rc;
	c.token = NULL;		/* the key is the credential */
	c.json = o->json;
	free(c.server);
	c.server = xstrdup(o->url);
	if (c.server[0] && c.server[strlen(c.server) - 1] == '/')
		c.server[strlen(c.server) - 1] = '\0';
	if (gethostname(host, sizeof(host) - 1))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	path = "";
	if (heartbeat && o->key)
		path = "/api/v1/intake/";
	else if (o->key)
		path = "/v2/enqueue";
	if (heartbeat) {
		char *p = xasprintf("%s%s", path, o->key ? o->key : "");

		rc = client_call(&c, "POST", p, NULL, &status, &out, NULL);
		free(p);
	} else {
		body = event_body(o, host);
		rc = client_call(&c, "POST", path, body, &status, &out, NULL);
	}
	if (!rc && status != (heartbeat ? 200 : 202))
		rc = client_error(status, out);
	else if (!rc && c.json)
		client_print_json(out);
	else if (!rc && heartbeat)
		printf("ok\n");
	else if (!rc)
		printf("%s\n", jfield(out, "dedup_key"));
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}

static int alert_run(int argc, char **argv)
{
	static const char *const actions[] = { "trigger", "acknowledge",
					       "resolve", "heartbeat" };
	struct send_opts o = { .action = "trigger" };
	bool known = false;
	int out = 1, rc;

	/* --json is a switch; the rest are options with values. */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--json"))
			o.json = true;
		else
			argv[out++] = argv[i];
	argc = out;
	if (argc < 2 || strcmp(argv[1], "send"))
		return cli_usage(&cmd_alert);
	o.details = json_object();
	rc = parse(argc, argv, &o);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		known = known || !strcmp(o.action, actions[i]);
	if (!rc && (!o.url || !known)) {
		fprintf(stderr, "erms: %s\n",
			!o.url ? L("--url is required", "须给出 --url")
			       : L("--action is trigger, acknowledge, resolve "
				   "or heartbeat",
				   "--action 须为 trigger、acknowledge、resolve "
				   "或 heartbeat"));
		rc = 2;
	}
	if (!rc && !strcmp(o.action, "trigger") && !o.summary) {
		fprintf(stderr, "erms: %s\n", L("a trigger needs --summary",
						"trigger 须给出 --summary"));
		rc = 2;
	}
	if (!rc && !o.dedup && (!strcmp(o.action, "acknowledge") ||
				!strcmp(o.action, "resolve"))) {
		fprintf(stderr, "erms: %s\n",
			L("acknowledge and resolve need --dedup-key",
			  "acknowledge 与 resolve 须给出 --dedup-key"));
		rc = 2;
	}
	if (!rc)
		rc = send_event(&o);
	json_decref(o.details);
	return rc;
}
