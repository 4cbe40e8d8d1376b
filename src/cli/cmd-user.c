/*
 * cmd-user.c - users and groups from the command line, as an API
 * client: who they are, how to reach them, and which groups they are in.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "util/xalloc.h"

static int user_run(int argc, char **argv);
static int group_run(int argc, char **argv);

const struct cli_cmd cmd_user = {
	.name = "user",
	.usage = "erms user COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Users: accounts and how to reach them",
	.summary_zh = "用户：账号与联系方式",
	.help_en =
		"  list [--limit N]               the users\n"
		"  show ID                        one user\n"
		"  add --login L --name N [--email E] [--phone P]\n"
		"      [--locale zh-CN|en] [--admin yes|no] [--set KEY=VALUE]...\n"
		"                                 the password is read from stdin\n"
		"  edit ID [--name N] [--email E] [--phone P] [--locale L]\n"
		"      [--admin yes|no] [--password-stdin] [--set KEY=VALUE]...\n"
		"                                 sends the version read: a change\n"
		"                                 made meanwhile is refused (409)\n"
		"  disable ID                     disable, revoke sessions/tokens\n"
		"\n--set names any other field of the user (KEY:=JSON for a\n"
		"number, true or false).\n",
	.help_zh =
		"  list [--limit N]               用户列表\n"
		"  show ID                        查看用户\n"
		"  add --login 账号 --name 姓名 [--email 邮箱] [--phone 手机]\n"
		"      [--locale zh-CN|en] [--admin yes|no] [--set 键=值]...\n"
		"                                 密码从标准输入读取\n"
		"  edit ID [--name 姓名] [--email 邮箱] [--phone 手机]\n"
		"      [--locale 语言] [--admin yes|no] [--password-stdin]\n"
		"      [--set 键=值]...           携带读取时的版本：期间他人的修改\n"
		"                                 会被拒绝（409）\n"
		"  disable ID                     停用账号并吊销其会话和令牌\n"
		"\n--set 可设置用户的其他字段（键:=JSON 表示数字、true 或 false）。\n",
	.run = user_run,
};

const struct cli_cmd cmd_group = {
	.name = "group",
	.usage = "erms group COMMAND [ARGS] [--server URL] [--json]",
	.summary_en = "Groups of the plan and their members",
	.summary_zh = "预案中的小组及其成员",
	.help_en =
		"  list                           the groups\n"
		"  show KEY                       a group: duties, members,\n"
		"                                 channels\n"
		"  add-member KEY USER_ID [--role lead|deputy|member]\n"
		"                                 add, or change the role\n"
		"                                 (default member)\n"
		"  remove-member KEY USER_ID\n",
	.help_zh =
		"  list                           小组列表\n"
		"  show KEY                       小组：职责、成员、通知渠道\n"
		"  add-member KEY 用户ID [--role lead|deputy|member]\n"
		"                                 加入小组或修改角色（默认 member）\n"
		"  remove-member KEY 用户ID\n",
	.run = group_run,
};

static const char *yes(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key)) ? L("yes", "是") : "";
}

static int list_users(struct client *c, const char *limit)
{
	json_t *out = NULL, *u;
	struct table t;
	size_t i;
	int rc = client_list(c, limit ? xasprintf("/api/v1/users?limit=%s",
						  limit)
				      : xstrdup("/api/v1/users"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 7, "ID", L("LOGIN", "账号"), L("NAME", "姓名"),
		   L("EMAIL", "邮箱"), L("PHONE", "手机"), L("ADMIN", "管理员"),
		   L("DISABLED", "已停用"));
	json_array_foreach(json_object_get(out, "items"), i, u) {
		char id[24];

		table_row(&t, jint_str(u, "id", id), jfield(u, "login"),
			  jfield(u, "display_name"), jfield(u, "email"),
			  jfield(u, "phone"), yes(u, "is_admin"),
			  yes(u, "disabled"));
	}
	table_print(&t);
	json_decref(out);
	return 0;
}

static void print_user(const json_t *u)
{
	static const char *const rows[][3] = {
		{ "login", "login", "账号" }, { "email", "e-mail", "邮箱" },
		{ "phone", "phone", "手机" }, { "locale", "language", "语言" },
		{ "time_zone", "time zone", "时区" },
	};

	printf("%lld  %s%s%s\n",
	       (long long)json_integer_value(json_object_get(u, "id")),
	       jfield(u, "display_name"),
	       json_is_true(json_object_get(u, "is_admin"))
	       ? L("  [admin]", "  [管理员]") : "",
	       json_is_true(json_object_get(u, "disabled"))
	       ? L("  [disabled]", "  [已停用]") : "");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (json_object_get(u, rows[i][0]))
			printf("  %-10s %s\n", L(rows[i][1], rows[i][2]),
			       jfield(u, rows[i][0]));
}

/* The fields of add and edit (the password from stdin on add, and on
 * edit with read_password); NULL after saying why (*rc). */
static json_t *user_body(int argc, char **argv, bool create,
			 bool read_password, int *rc)
{
	static const char *const texts[][2] = {
		{ "--name", "display_name" }, { "--email", "email" },
		{ "--phone", "phone" }, { "--locale", "locale" },
		{ "--login", "login" },
	};
	json_t *body = json_object();
	char pw[512];

	cli_text_fields(argc, argv, texts, create ? 5 : 4, body);
	if ((*rc = cli_yesno(argc, argv, "--admin", body, "is_admin")) ||
	    (*rc = cli_set_fields(argc, argv, "--set", body))) {
		json_decref(body);
		return NULL;
	}
	if (create || read_password) {
		if (!cli_read_line(pw, sizeof(pw))) {
			*rc = client_fail(2, "missing_field", L(
				"the password is read from stdin",
				"须从标准输入给出密码"));
			json_decref(body);
			return NULL;
		}
		json_object_set_new(body, "password", json_string(pw));
	}
	return body;
}

static int user_run(int argc, char **argv)
{
	struct client c;
	char *pos[1] = { NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL;
	long long id = 0;
	bool pw = false;
	int n, rc, kept = 1;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	/* The one switch without a value: out of the way of the operands. */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--password-stdin"))
			pw = true;
		else
			argv[kept++] = argv[i];
	argv[kept] = NULL;
	argc = kept;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 1);
	if (n == 1 && cli_parse_int(pos[0], &id)) {
		rc = cli_bad(L("a user is named by their id", "用户须以 ID 指明"),
			     pos[0]);
	} else if (!strcmp(sub, "list") && n == 0) {
		rc = list_users(&c, cli_opt(argc, argv, "--limit"));
	} else if (!strcmp(sub, "show") && n == 1) {
		rc = client_get(&c, xasprintf("/api/v1/users/%lld", id), &out);
	} else if (!strcmp(sub, "add") && n == 0) {
		if ((body = user_body(argc, argv, true, pw, &rc)))
			rc = client_expect(&c, "POST", "/api/v1/users", body,
					   201, &out);
	} else if (!strcmp(sub, "edit") && n == 1) {
		if ((body = user_body(argc, argv, false, pw, &rc)))
			rc = client_edit(&c, "PATCH", xasprintf(
				"/api/v1/users/%lld", id), NULL, body, NULL,
				NULL, 200, &out);
	} else if (!strcmp(sub, "disable") && n == 1) {
		path = xasprintf("/api/v1/users/%lld", id);
		if (!(rc = client_expect(&c, "DELETE", path, NULL, 204, &out)) &&
		    !c.json)
			printf("%s %lld\n", L("disabled user", "已停用用户"), id);
	} else {
		rc = cli_usage(&cmd_user);
	}
	if (!rc && out && !c.json)
		print_user(out);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}

static int list_groups(struct client *c)
{
	json_t *out = NULL, *g;
	struct table t;
	size_t i;
	int rc = client_list(c, xstrdup("/api/v1/groups"), &out);

	if (rc || !out)
		return rc;
	table_init(&t, 3, L("KEY", "标识"), L("NAME", "名称"),
		   L("KIND", "类型"));
	json_array_foreach(json_object_get(out, "items"), i, g)
		table_row(&t, jfield(g, "key"), jfield(g, "name"),
			  jfield(g, "kind"));
	table_print(&t);
	json_decref(out);
	return 0;
}

static const char *role(const char *r)
{
	if (!strcmp(r, "lead"))
		return L("lead", "组长");
	if (!strcmp(r, "deputy"))
		return L("deputy", "副组长");
	if (!strcmp(r, "member"))
		return L("member", "成员");
	return r;
}

static void print_group(const json_t *g)
{
	const json_t *m, *d;
	struct table t;
	size_t i;
	char *ch = json_dumps(json_object_get(g, "channels"), JSON_COMPACT);

	printf("%s  %s  (%s)\n", jfield(g, "key"), jfield(g, "name"),
	       jfield(g, "kind"));
	json_array_foreach(json_object_get(g, "duties"), i, d)
		printf("  - %s\n", json_string_value(d));
	printf("%s %s\n", L("channels", "通知渠道"), ch ? ch : "[]");
	free(ch);
	table_init(&t, 4, "ID", L("LOGIN", "账号"), L("NAME", "姓名"),
		   L("ROLE", "角色"));
	json_array_foreach(json_object_get(g, "members"), i, m) {
		char id[24];

		table_row(&t, jint_str(m, "user_id", id), jfield(m, "login"),
			  jfield(m, "display_name"), role(jfield(m, "role")));
	}
	table_print(&t);
}

static int group_run(int argc, char **argv)
{
	struct client c;
	char *pos[2] = { NULL, NULL };
	const char *sub;
	json_t *body = NULL, *out = NULL;
	char *path = NULL, *esc = NULL;
	long long uid = 0;
	int n, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	sub = argc > 1 ? argv[1] : "";
	n = cli_positional(argc, argv, pos, 2);
	esc = n ? cli_urlencode(pos[0]) : NULL;
	if (n == 2 && cli_parse_int(pos[1], &uid)) {
		rc = cli_bad(L("a user is named by their id", "用户须以 ID 指明"),
			     pos[1]);
	} else if (!strcmp(sub, "list") && n == 0) {
		rc = list_groups(&c);
	} else if (!strcmp(sub, "show") && n == 1) {
		rc = client_get(&c, xasprintf("/api/v1/groups/%s", esc), &out);
	} else if (!strcmp(sub, "add-member") && n == 2) {
		const char *r = cli_opt(argc, argv, "--role");

		body = json_pack("{s:s}", "role", r ? r : "member");
		path = xasprintf("/api/v1/groups/%s/members/%lld", esc, uid);
		rc = client_expect(&c, "PUT", path, body, 200, &out);
	} else if (!strcmp(sub, "remove-member") && n == 2) {
		path = xasprintf("/api/v1/groups/%s/members/%lld", esc, uid);
		if (!(rc = client_expect(&c, "DELETE", path, NULL, 204, &out)) &&
		    !c.json)
			printf("%s %lld\n", L("removed member", "已移出成员"),
			       uid);
	} else {
		rc = cli_usage(&cmd_group);
	}
	if (!rc && out && !c.json)
		print_group(out);
	free(esc);
	free(path);
	json_decref(body);
	json_decref(out);
	client_release(&c);
	return rc;
}
