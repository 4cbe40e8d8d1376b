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
	bool json;		/* --json: print the API's answer as is, and
				 * errors as the API's error object */
	const char *cursor;	/* --cursor C: the page of a list to start at */
	bool all;		/* --all: follow next_cursor to the end */
	const char *csrf;	/* sent as X-CSRF-Token when set (login) */
	const char *if_match;	/* sent as If-Match when set (client_edit) */
	void *curl;
};

/*
 * Take the global client options (--server URL, --token T, --json,
 * --cursor C, --all) out of argv, leaving the rest for the command; set
 * up c. Returns 0, or 2 after printing a usage error.
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
/*
 * GET the list at path (taken: freed), from --cursor's page when given;
 * with --all every following page too (their items joined, next_cursor
 * null). Without --all a next_cursor is told on stderr
 * ("next: --cursor C"). *out as client_expect() (--json prints the
 * answer: the page, or the joined pages).
 */
int client_list(struct client *c, char *path, json_t **out);
/*
 * Change body as edit says from *read, the object read; *obj: the object
 * whose "version" the write names (set when it is one inside *read).
 * Returns 0, or an exit code after saying why.
 */
typedef int client_edit_fn(json_t *body, const json_t *read, void *ctx,
			   const json_t **obj);
/*
 * GET path, then send method with body to the same path (or to `to` when
 * not NULL) with If-Match: the version of the object read (when it has
 * one), so that a change made in between is refused (409 naming who made
 * it) rather than overwritten. edit (may be NULL) changes body from what
 * was read. Answers as client_expect(); path is taken.
 */
int client_edit(struct client *c, const char *method, char *path,
		const char *to, json_t *body, client_edit_fn *edit, void *ctx,
		int want, json_t **out);
/* GET path and copy the body to stdout as it is (exports, reports);
 * takes ownership of path. Returns the exit code. */
int client_download(struct client *c, char *path);
/* The string field key of o, or "-". */
const char *jfield(const json_t *o, const char *key);
/* Print an API error answer (with --json: the answer's JSON, one line on
 * stderr); returns the exit code (2 for 400, else 1). */
int client_error(int status, const json_t *answer);
/* Print a client-side failure (code e.g. "unreachable", "usage"): with
 * --json as {"error": {code, message}} on stderr, else "erms: message".
 * Returns rc. */
int client_fail(int rc, const char *code, const char *msg);
/* s percent-encoded for a URL query; free() it. */
char *cli_urlencode(const char *s);
/* The value after option `name` (its first use), or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
/* The arguments after the subcommand argv[1] that are not options or their
 * values, at most max into out; -1 when there are more. */
int cli_positional(int argc, char **argv, char **out, int max);
/* s as a whole decimal number; 0, or -1 when it is not one. */
int cli_parse_int(const char *s, long long *v);
/* An amount of money "1234", "1234.5" or "1234.56" as cents; 0 or -1. */
int cli_parse_cents(const char *s, long long *cents);
/* cents as "1234.56". */
void cli_money(long long cents, char out[32]);
/* Say that value is not a valid `what` (client_fail, code "invalid");
 * returns 2. */
int cli_bad(const char *what, const char *value);
/* The integer field key of o as text in buf, or "-". */
const char *jint_str(const json_t *o, const char *key, char buf[24]);
/* Each "flag KEY=VALUE" (a string) or "flag KEY:=JSON" into obj; 0, or 2
 * after saying which is malformed. */
int cli_set_fields(int argc, char **argv, const char *flag, json_t *obj);
/* "flag yes|no" as the boolean body[key]; 0, or 2 for another value. */
int cli_yesno(int argc, char **argv, const char *flag, json_t *body,
	      const char *key);
/* Each option map[i][0] given, as the string body[map[i][1]]. */
void cli_text_fields(int argc, char **argv, const char *const (*map)[2],
		     size_t n, json_t *body);
/* Print j pretty to stdout (for --json). */
void client_print_json(const json_t *j);

/*
 * The one table printer of the list commands: columns aligned by display
 * width (wcwidth(3) in a UTF-8 locale: a CJK character takes two columns),
 * two spaces between columns, no trailing blanks.
 */
struct table {
	int ncol;
	json_t *rows;		/* array of arrays of strings */
};

void table_init(struct table *t, int ncol, ...);	/* the headings */
void table_row(struct table *t, ...);			/* ncol strings */
void table_print(struct table *t);			/* and release */
/* The display width of UTF-8 text s on a terminal. */
int text_width(const char *s);

/* The line "  regulator    ..." of an incident that has a duty to report
 * (cmd-regulatory.c); nothing for one that has none. */
void cli_print_regulatory(const json_t *incident);

#endif
