/*
 * cli.h - the erms command table.
 *
 * To add a command: write cli/cmd-<name>.c defining one
 * `const struct cli_cmd cmd_<name>`, declare it below, add it to
 * commands[] in cli.c and to meson.build. The command parses its own
 * options with getopt_long and answers --help from its entry.
 *
 * Exit codes: 0 success, 1 failure, 2 usage or bad input.
 */
#ifndef ERMS_CLI_CLI_H
#define ERMS_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "app/database.h"
#include "util/err.h"

struct cli_cmd {
	const char *name;
	const char *usage;	/* "erms init --db PATH --admin LOGIN" */
	const char *summary_en;	/* one line for `erms help` */
	const char *summary_zh;
	const char *help_en;	/* the options, for `erms help <name>` */
	const char *help_zh;
	int (*run)(int argc, char **argv);
};

extern const struct cli_cmd cmd_version, cmd_help, cmd_init, cmd_migrate,
	cmd_backup, cmd_audit, cmd_serve, cmd_demo, cmd_plan, cmd_login, cmd_incident, cmd_duty,
	cmd_drill, cmd_supply, cmd_copy, cmd_integration, cmd_alert,
	cmd_bulletin, cmd_expense, cmd_budget, cmd_channel, cmd_user, cmd_group,
	cmd_notification, cmd_pack, cmd_regulatory;

int cli_main(int argc, char **argv);
/* --json was given: failures are printed as {"error": {code, message}}
 * on stderr (client_init sets it). */
extern bool cli_json_errors;
/* Whether messages should be in Chinese (LANG and friends say zh). */
bool cli_zh(void);
/* Pick the string for the user's language. */
const char *L(const char *en, const char *zh);
/* Print the command's usage and help to stdout; returns 0. */
int cli_help(const struct cli_cmd *c);
/* Print sub-command sub's usage and options (the lines of c's help that
 * name it), else all of c's help, to stdout; returns 0. */
int cli_sub_help(const struct cli_cmd *c, const char *sub);
/* Print "usage: ..." to stderr (with --json as an error object); returns
 * 2. */
int cli_usage(const struct cli_cmd *c);
/* Print "erms: <msg>" to stderr; returns the exit code for rc. */
int cli_fail(int rc, const struct errbuf *e, const char *what);
/* Exit code for an ERMS_E* code. */
int cli_exit_code(int rc);
/* The database from --db, else $ERMS_DB, else "erms.db". */
const char *cli_db(const char *opt);
/* 0 when db may go without --key; else says that a database URL needs
 * --key FILE (no file sits next to a URL, and every node must hold the
 * same key) and returns 2. */
int cli_need_key(const char *db, const char *key);
/*
 * Parse the options of a command that takes --db PATH and, when flag is
 * not NULL, the switch --<flag> (sets *on). Returns 0 with *db (NULL when
 * not given) and optind at the first operand, or cmd's usage (2).
 */
int cli_db_opts(int argc, char **argv, const struct cli_cmd *cmd,
		const char **db, const char *flag, bool *on);
/* cli_fail() for a use case of app/database.h that failed at stage:
 * "cannot open the database", "migration failed", else what. */
int cli_db_fail(int rc, const struct errbuf *e, enum app_db_stage stage,
		const char *what);
/* Read a whole file ("-": stdin) into memory; free() it. NULL on error. */
char *cli_read_file(const char *path, size_t *len);
/* Read one line from stdin without its newline; returns false at EOF. */
bool cli_read_line(char *buf, size_t n);

struct user;
struct app_config;
struct http_opts;
/*
 * Serve until SIGINT or SIGTERM, then shut down cleanly. banner (may be
 * NULL) is called with the bound port once the server listens.
 */
int cli_serve(const struct app_config *cfg, const struct http_opts *o,
	      void (*banner)(int port, void *ctx), void *ctx);

#endif
