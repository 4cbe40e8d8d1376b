/*
 * cmd-supply.c - emergency supplies from the command line, as an API
 * client.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int supply_run(int argc, char **argv);

const struct cli_cmd cmd_supply = {
	.name = "supply",
	.usage = "erms supply COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Emergency supplies: stock, movements, CSV",
	.summary_zh = "应急物资：库存、出入库与调拨、CSV",
	.help_en =
		"  list                           the supplies, low stock marked\n"
		"  show ID                        one supply and its movements\n"
		"  add --name N [--quantity Q] [--unit U] [--location L]\n"
		"      [--kind K] [--min M] [--inspect-by TIME] [--notes T]\n"
		"  move ID in|out|allocate|return QUANTITY [--incident INC]\n"
		"      [--note T]                 allocate needs --incident\n"
		"  export                         all supplies as CSV\n"
		"  import FILE                    add supplies from CSV (- for\n"
		"                                 stdin); all rows or none\n",
	.help_zh =
		"  list                           物资列表（标出低库存）\n"
		"  show ID                        物资详情及出入库记录\n"
		"  add --name 名称 [--quantity 数量] [--unit 单位]\n"
		"      [--location 库房] [--kind 类别] [--min 最低库存]\n"
		"      [--inspect-by 时间] [--notes 备注]\n"
		"  move ID in|out|allocate|return 数量 [--incident 事件]\n"
		"      [--note 备注]              调拨（allocate）须指明事件\n"
		"  export                         导出全部物资（CSV）\n"
		"  import 文件                    从 CSV 导入（- 表示标准输入），\n"
		"                                 全部成功或全部不导入\n",
	.run = supply_run,
};

static int list(struct client *c)
{
	json_t *out = NULL, *s;
	struct table t;
	size_t i;
	int rc = client_list(c, xstrdup("/api/v1/supplies"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 6, "ID", L("NAME", "名称"), L("QUANTITY", "数量"),
		   L("MIN", "最低"), L("LOCATION", "库房"), L("STATE", "状态"));
	json_array_foreach(json_object_get(out, "items"), i, s) {
		char id[24], q[48], m[24];

		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(
			json_object_get(s, "id")));
		snprintf(q, sizeof(q), "%lld %s", (long long)json_integer_value(
			json_object_get(s, "quantity")), jfield(s, "unit"));
		snprintf(m, sizeof(m), "%lld", (long long)json_integer_value(
			json_object_get(s, "min_quantity")));
		table_row(&t, id, jfield(s, "name"), q, m, jfield(s, "location"),
			  json_is_true(json_object_get(s, "low"))
			  ? L("LOW", "低库存") : "ok");
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static void print_supply(const json_t *s)
{
	const json_t *m;
	size_t i;

	printf("#%lld  %s  %lld %s  %s %s%s\n",
	       (long long)json_integer_value(json_object_get(s, "id")),
	       jfield(s, "name"),
	       (long long)json_integer_value(json_object_get(s, "quantity")),
	       jfield(s, "unit"), L("at", "库房"), jfield(s, "location"),
	       json_is_true(json_object_get(s, "low"))
	       ? L("  LOW STOCK", "  低库存") : "");
	json_array_foreach(json_object_get(s, "movements"), i, m) {
		const json_t *inc = json_object_get(m, "incident_id");

		printf("  %s  %-8s %lld", jfield(m, "at"), jfield(m, "kind"),
		       (long long)json_integer_value(json_object_get(m,
								 "quantity")));
		if (json_is_integer(inc))
			printf("  %s %lld", L("incident", "事件"),
			       (long long)json_integer_value(inc));
		printf("  %s\n", jfield(m, "note"));
	}
}

static json_t *add_body(int argc, char **argv)
{
	static const char *const texts[][2] = {
		{ "--name", "name" }, { "--unit", "unit" },
		{ "--location", "location" }, { "--kind", "kind" },
		{ "--inspect-by", "inspect_by" }, { "--notes", "notes" },
	};
	static const char *const ints[][2] = {
		{ "--quantity", "quantity" }, { "--min", "min_quantity" },
	};
	json_t *b = json_object();

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		if (cli_opt(argc, argv, texts[i][0]))
			json_object_set_new(b, texts[i][1], json_string(
				cli_opt(argc, argv, texts[i][0])));
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (cli_opt(argc, argv, ints[i][0]))
			json_object_set_new(b, ints[i][1], json_integer(strtoll(
				cli_opt(argc, argv, ints[i][0]), NULL, 10)));
	return b;
}

static int supply_run(int argc, char **argv)
{
	struct client c;
	char *pos[3] = { NULL, NULL, NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL, *csv = NULL;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 3);
	if (!strcmp(sub, "list") && n == 0) {
		rc = list(&c);
	} else if (!strcmp(sub, "export") && n == 0) {
		rc = client_download(&c, xstrdup("/api/v1/supplies.csv"));
	} else if (!strcmp(sub, "show") && n == 1) {
		rc = client_get(&c, xasprintf("/api/v1/supplies/%s", pos[0]),
				&out);
	} else if (!strcmp(sub, "add") && n == 0) {
		body = add_body(argc, argv);
		rc = client_expect(&c, "POST", "/api/v1/supplies", body, 201,
				   &out);
	} else if (!strcmp(sub, "move") && n == 3) {
		body = json_pack("{s:s, s:I, s:s*, s:s*}", "kind", pos[1],
				 "quantity", (json_int_t)strtoll(pos[2], NULL,
								 10),
				 "incident", cli_opt(argc, argv, "--incident"),
				 "note", cli_opt(argc, argv, "--note"));
		path = xasprintf("/api/v1/supplies/%s/movements", pos[0]);
		rc = client_expect(&c, "POST", path, body, 201, &out);
	} else if (!strcmp(sub, "import") && n == 1) {
		if (!(csv = cli_read_file(pos[0], NULL))) {
			fprintf(stderr, "erms: %s: %s\n", pos[0],
				L("cannot read", "无法读取"));
			rc = 1;
		} else {
			body = json_pack("{s:s}", "csv", csv);
			rc = client_expect(&c, "POST", "/api/v1/supplies/import",
					   body, 201, &out);
			if (!rc && out)
				printf("%s %lld\n", L("created", "已导入"),
				       (long long)json_integer_value(
					       json_object_get(out, "created")));
			json_decref(out);
			out = NULL;
		}
	} else {
		rc = cli_usage(&cmd_supply);
	}
	if (!rc && out && !c.json)
		print_supply(out);
	free(csv);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
