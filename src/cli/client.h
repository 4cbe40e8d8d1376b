/*
 * client.h - the CLI's side of the API: one HTTP client (libcurl) and
 * an aligned table printer. Client commands are API clients only; they
 * never open the database.
 *
 * The server comes from --server or $ERMS_SERVER (default
 * http://127.0.0.1:8080), the token from --token or $ERMS_TOKEN.
 */
#ifndef ERMS_CLI_CLIENT_H
#define ERMS_CLI_CLIENT_H

#include <jansson.h>
#include <stdbool.h>

#include "util/buf.h"

struct client {
	char *server;		/* owned, without a trailing '/' */
	const char *token;
	bool json;		/* --json: print the API's answer as is */
	const char *csrf;	/* sent as X-CSRF-Token when set (login) */
	void *curl;
};

/*
 * Take the global client options (--server URL, --token T, --json) out of
 * argv, leaving the rest for the command; set up c. Returns 0, or 2 after
 * printing a usage error.
 */
int client_init(struct client *c, int *argc, char **argv);
void client_release(struct client *c);
/*
 * One request. body (may be NULL) is sent as JSON. On return *status is
 * the HTTP status and *out the parsed JSON answer (NULL if not JSON; the
 * raw bytes are in raw when it is given). Returns 0, or 1 after printing
 * why the server could not be reached.
 */
int client_call(struct client *c, const char *method, const char *path,
		const json_t *body, int *status, json_t **out, struct buf *raw);
/*
 * One request that must answer `want`: on success *out holds the answer,
 * or NULL when --json printed it; otherwise the error is printed and the
 * exit code returned.
 */
int client_expect(struct client *c, const char *method, const char *path,
		  const json_t *body, int want, json_t **out);
/* GET path (taken: freed) expecting 200, as client_expect(). */
int client_get(struct client *c, char *path, json_t **out);
/* GET path and copy the body to stdout as it is (exports, reports);
 * takes ownership of path. Returns the exit code. */
int client_download(struct client *c, char *path);
/* The string field key of o, or "-". */
const char *jfield(const json_t *o, const char *key);
/* Print an API error answer; returns the exit code (2 for 400, else 1). */
int client_error(int status, const json_t *answer);
/* s percent-encoded for a URL query; free() it. */
char *cli_urlencode(const char *s);
/* The value after option `name` (its first use), or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
/* The arguments after the subcommand argv[1] that are not options or their
 * values, at most max into out; -1 when there are more. */
int cli_positional(int argc, char **argv, char **out, int max);
/* Print j pretty to stdout (for --json). */
void client_print_json(const json_t *j);

/* A table printed with columns aligned, CJK text counted double width. */
struct table {
	int ncol;
	json_t *rows;		/* array of arrays of strings */
};

void table_init(struct table *t, int ncol, ...);	/* the headings */
void table_row(struct table *t, ...);			/* ncol strings */
void table_print(struct table *t);			/* and release */

#endif
