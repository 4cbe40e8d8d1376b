/*
 * cmd-login.c - sign in once and print an API token for the CLI.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "cli/client.h"
#include "core/account.h"

static int login_run(int argc, char **argv);

const struct cli_cmd cmd_login = {
	.name = "login",
	.usage = "erms login [--server URL] [--name NAME] LOGIN < password",
	.summary_en = "Sign in and print an API token for ERMS_TOKEN",
	.summary_zh = "登录并输出用于 ERMS_TOKEN 的 API 令牌",
	.help_en = "Reads the password from standard input, creates a token\n"
		   "named NAME (default 'cli') and prints it:\n\n"
		   "  export ERMS_TOKEN=$(erms login admin < password-file)\n\n"
		   "  --server URL   the server (default $ERMS_SERVER or\n"
		   "                 http://127.0.0.1:8080)\n",
	.help_zh = "从标准输入读取密码，创建名为 NAME（默认 cli）的令牌并输出：\n\n"
		   "  export ERMS_TOKEN=$(erms login admin < 密码文件)\n\n"
		   "  --server URL   服务器（默认 $ERMS_SERVER 或\n"
		   "                 http://127.0.0.1:8080）\n",
	.run = login_run,
};

static int login_run(int argc, char **argv)
{
	struct client c;
	char pw[PASSWORD_MAX + 2];
	const char *name = "cli", *login = NULL;
	json_t *body = NULL, *session = NULL, *tok = NULL, *bye = NULL;
	int status, rc;

	if ((rc = client_init(&c, &argc, argv)))
		return rc;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!login && argv[i][0] != '-')
			login = argv[i];
		else
			login = NULL, i = argc;
	}
	rc = 2;
	if (!login) {
		cli_usage(&cmd_login);
		goto out;
	}
	if (!cli_read_line(pw, sizeof(pw))) {
		fprintf(stderr, "erms: %s\n", L("give the password on standard "
						"input", "请在标准输入中提供密码"));
		goto out;
	}
	c.token = NULL;
	body = json_pack("{s:s, s:s}", "login", login, "password", pw);
	rc = client_call(&c, "POST", "/api/v1/session", body, &status,
			 &session, NULL);
	if (rc)
		goto out;
	if (status != 200) {
		rc = client_error(status, session);
		goto out;
	}
	c.csrf = json_string_value(json_object_get(session, "csrf_token"));
	json_decref(body);
	body = json_pack("{s:s}", "name", name);
	rc = client_call(&c, "POST", "/api/v1/tokens", body, &status, &tok,
			 NULL);
	if (!rc && status != 201)
		rc = client_error(status, tok);
	else if (!rc)
		printf("%s\n", json_string_value(json_object_get(tok, "token")));
	/* The session was only the way in. */
	if (!client_call(&c, "DELETE", "/api/v1/session", NULL, &status, &bye,
			 NULL))
		json_decref(bye);
out:
	json_decref(body);
	json_decref(session);
	json_decref(tok);
	client_release(&c);
	return rc;
}
