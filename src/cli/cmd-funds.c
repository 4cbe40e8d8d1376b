/*
 * cmd-funds.c - emergency funds from the command line, as an API client:
 * a year's budget, and expenses against it.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int expense_run(int argc, char **argv);
static int budget_run(int argc, char **argv);

const struct cli_cmd cmd_expense = {
	.name = "expense",
	.usage = "erms expense add|list|export [ARGS] [--server URL] [--json]",
	.summary_en = "Emergency funds: record and list expenses",
	.summary_zh = "应急经费：登记和查看支出",
	.help_en =
		"  add --amount YUAN --purpose TEXT [--year Y]\n"
		"      [--incident INC] [--drill ID] [--supply ID]\n"
		"                                 e.g. --amount 1200.50\n"
		"  list [--year Y]                a year's expenses (default:\n"
		"                                 this year)\n"
		"  export [--year Y]              the expenses as CSV\n",
	.help_zh =
		"  add --amount 金额（元） --purpose 用途 [--year 年度]\n"
		"      [--incident 事件] [--drill 演练ID] [--supply 物资ID]\n"
		"                                 如 --amount 1200.50\n"
		"  list [--year 年度]             某年度的支出（默认今年）\n"
		"  export [--year 年度]           导出支出（CSV）\n",
	.run = expense_run,
};

const struct cli_cmd cmd_budget = {
	.name = "budget",
	.usage = "erms budget show|set [ARGS] [--server URL] [--json]",
	.summary_en = "Emergency funds: a year's budget and what remains",
	.summary_zh = "应急经费：年度预算与余额",
	.help_en =
		"  show [--year Y]                budget, spent and remaining\n"
		"  set --amount YUAN [--year Y] [--note TEXT]\n"
		"                                 set the year's budget\n",
	.help_zh =
		"  show [--year 年度]             预算、已支出与余额\n"
		"  set --amount 金额（元） [--year 年度] [--note 备注]\n"
		"                                 设定年度预算\n",
	.run = budget_run,
};

/* --year, else this year (local time); -1 after saying it is bad. */
static int year_opt(int argc, char **argv)
{
	const char *y = cli_opt(argc, argv, "--year");
	long long v;
	time_t now = time(NULL);
	struct tm tm;

	if (!y) {
		localtime_r(&now, &tm);
		return tm.tm_year + 1900;
	}
	if (cli_parse_int(y, &v) || v < 2000 || v > 2999) {
		cli_bad(L("--year is a year 2000..2999",
			  "--year 须为 2000 至 2999 之间的年份"), y);
		return -1;
	}
	return (int)v;
}

static const char *money(const json_t *o, const char *key, char buf[32])
{
	cli_money((long long)json_integer_value(json_object_get(o, key)), buf);
	return buf;
}

static int list_expenses(struct client *c, int year)
{
	json_t *out = NULL, *x;
	struct table t;
	size_t i;
	int rc = client_get(c, xasprintf("/api/v1/budgets/%d", year), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 5, "ID", L("AT", "时间"), L("AMOUNT", "金额"),
		   L("FOR", "关联"), L("PURPOSE", "用途"));
	json_array_foreach(json_object_get(out, "expenses"), i, x) {
		char id[24], amount[32], ref[48] = "-";
		const json_t *v;

		if (json_is_integer(v = json_object_get(x, "incident_id")))
			snprintf(ref, sizeof(ref), "%s %lld",
				 L("incident", "事件"),
				 (long long)json_integer_value(v));
		else if (json_is_integer(v = json_object_get(x, "drill_id")))
			snprintf(ref, sizeof(ref), "%s %lld",
				 L("drill", "演练"),
				 (long long)json_integer_value(v));
		else if (json_is_integer(v = json_object_get(x, "supply_id")))
			snprintf(ref, sizeof(ref), "%s %lld",
				 L("supply", "物资"),
				 (long long)json_integer_value(v));
		table_row(&t, jint_str(x, "id", id), jfield(x, "at"),
			  money(x, "amount_cents", amount), ref,
			  jfield(x, "purpose"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

/* Add the integer option flag to body as key; 2 when it is no number. */
static int int_field(int argc, char **argv, const char *flag, json_t *body,
		     const char *key)
{
	const char *s = cli_opt(argc, argv, flag);
	long long v;

	if (!s)
		return 0;
	if (cli_parse_int(s, &v) || v < 1)
		return cli_bad(flag, s);
	json_object_set_new(body, key, json_integer(v));
	return 0;
}

static int add_expense(struct client *c, int argc, char **argv)
{
	const char *amount = cli_opt(argc, argv, "--amount");
	long long cents;
	json_t *body, *out = NULL;
	int rc;

	if (!amount || cli_parse_cents(amount, &cents) || cents < 1)
		return cli_bad(L("--amount is an amount in yuan, e.g. 1200.50",
				 "--amount 须为以元计的金额，如 1200.50"),
			       amount ? amount : "");
	body = json_pack("{s:I, s:s*, s:s*}", "amount_cents",
			 (json_int_t)cents, "purpose",
			 cli_opt(argc, argv, "--purpose"), "incident",
			 cli_opt(argc, argv, "--incident"));
	if ((rc = int_field(argc, argv, "--year", body, "year")) ||
	    (rc = int_field(argc, argv, "--drill", body, "drill_id")) ||
	    (rc = int_field(argc, argv, "--supply", body, "supply_id"))) {
		json_decref(body);
		return rc;
	}
	rc = client_expect(c, "POST", "/api/v1/expenses", body, 201, &out);
	if (!rc && out) {
		char m[32];

		printf("%s %lld  %s  %s\n", L("expense", "支出"),
		       (long long)json_integer_value(json_object_get(out, "id")),
		       money(out, "amount_cents", m), jfield(out, "purpose"));
	}
	json_decref(out);
	json_decref(body);
	return rc;
}

static int expense_run(int argc, char **argv)
{
	struct client c;
	char *pos[1];
	const char *sub;
	int n, rc, year;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (n == 0 && (!strcmp(sub, "list") || !strcmp(sub, "export"))) {
		if ((year = year_opt(argc, argv)) < 0)
			rc = 2;
		else if (!strcmp(sub, "list"))
			rc = list_expenses(&c, year);
		else
			rc = client_download(&c, xasprintf(
				"/api/v1/expenses.csv?year=%d", year));
	} else if (!strcmp(sub, "add") && n == 0) {
		rc = add_expense(&c, argc, argv);
	} else {
		rc = cli_usage(&cmd_expense);
	}
	client_release(&c);
	return rc;
}

static void print_budget(const json_t *b)
{
	char x[32], y[32], z[32];

	printf("%lld  %s %s  %s %s  %s %s\n",
	       (long long)json_integer_value(json_object_get(b, "year")),
	       L("budget", "预算"), money(b, "budget_cents", x),
	       L("spent", "已支出"), money(b, "spent_cents", y),
	       L("remaining", "余额"), money(b, "remaining_cents", z));
	if (*jfield(b, "note") && strcmp(jfield(b, "note"), "-"))
		printf("  %s\n", jfield(b, "note"));
}

static int budget_run(int argc, char **argv)
{
	struct client c;
	char *pos[1];
	const char *sub;
	json_t *out = NULL, *body = NULL;
	char *path = NULL;
	int n, rc, year;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (n || (strcmp(sub, "show") && strcmp(sub, "set"))) {
		rc = cli_usage(&cmd_budget);
	} else if ((year = year_opt(argc, argv)) < 0) {
		rc = 2;
	} else if (!strcmp(sub, "show")) {
		rc = client_get(&c, xasprintf("/api/v1/budgets/%d", year),
				&out);
	} else {
		const char *amount = cli_opt(argc, argv, "--amount");
		long long cents;

		if (!amount || cli_parse_cents(amount, &cents)) {
			rc = cli_bad(L("--amount is an amount in yuan, e.g. "
				       "200000", "--amount 须为以元计的金额，"
				       "如 200000"), amount ? amount : "");
			goto done;
		}
		body = json_pack("{s:I, s:s*}", "amount_cents",
				 (json_int_t)cents, "note",
				 cli_opt(argc, argv, "--note"));
		path = xasprintf("/api/v1/budgets/%d", year);
		rc = client_expect(&c, "PUT", path, body, 200, &out);
	}
	if (!rc && out)
		print_budget(out);
done:
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
