/*
 * req.h - what a handler sees of a request, and what it answers.
 *
 * Handlers never see libmicrohttpd: server.c turns a connection into a
 * struct req (route parameters, the parsed JSON body, the signed-in
 * principal, the time, the caller's language, a store to use) and sends
 * the struct resp the handler fills. A handler is decode -> app_* ->
 * encode, about twenty lines.
 *
 * Write routes (.write) run their handler on the writer thread inside
 * the group-commit batch: rq->st is then the writer's connection, and an
 * answer made by resp_err() or resp_fail() (rs->rc non-zero: the app's
 * code, or ERMS_EINVAL for a request that failed to decode) rolls the
 * handler's writes back. A route's optional prep() runs first on the I/O
 * thread with a reader connection, for slow work that must not hold up
 * the writer (password hashing); it may answer on its own (set
 * rs->status), and passes data on in rq->ctx.
 */
#ifndef ERMS_HTTP_REQ_H
#define ERMS_HTTP_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "util/buf.h"
#include "util/err.h"

#define ROUTE_PARAMS_MAX 4
#define RESP_HEADERS_MAX 6

struct req;
struct resp;

typedef void api_fn(struct req *rq, struct resp *rs);

/*
 * The coarse right of a route, checked by the server before the handler
 * runs (and before a write takes a writer slot). Rights on an object
 * (whose incident, which group) are the app's, asked of may() there.
 */
enum route_access {
	ACCESS_USER,	/* signed in (the default) */
	ACCESS_ANYONE,	/* no sign-in; credentials are not even read */
	ACCESS_FEED,	/* signed in, or a calendar feed token in ?token= */
	ACCESS_ADMIN,	/* a signed-in administrator */
};

struct jbody;

/* A query-string argument of a route, for the OpenAPI document. */
struct route_query {
	const char *name;
	const char *type;	/* "string", "integer" or "boolean" */
	const char *doc;
};

struct route {
	const char *method;
	const char *pattern;	/* "/api/v1/users/{id}" */
	api_fn *fn;
	api_fn *prep;		/* optional, on the I/O thread */
	enum route_access access;
	bool write;		/* runs on the writer, in the batch */
	/* A step route ("/incidents/{id}/ack"): the handler finds the step
	 * as its last route parameter, as if the path had a {step}. */
	const char *step;
	/* The rest describes the route in the OpenAPI document. */
	const char *summary;
	const char *tag;
	const char *op;		/* operationId */
	const struct jbody *body;	/* the JSON request body, or NULL */
	const struct route_query *query;	/* NULL-name terminated */
	int status;		/* of success: 200 (0), 201, 204 */
	const char *answer;	/* schema of success: a component name,
				 * "list:Name" for a page of Name, a media
				 * type ("text/html"), or NULL: any object */
	bool page_errors;	/* 404 and 409 are pages of .answer's type */
	/* The body as sent, not parsed: rq->raw (the monitors' intake,
	 * whose bodies are JSON of any content type, or anything). */
	bool raw_body;
	size_t body_max;	/* bytes of a body; 0: the server's limit */
	/* A second success answer (the intake's 202 for events). */
	int status_alt;
	const char *answer_alt;
	const char *body_doc;	/* a request body of no field table: its
				 * schema, a component name (OpenAPI) */
};

struct resp_header {
	const char *name;	/* static string */
	char *value;		/* owned */
};

/*
 * A body produced as the client reads it (Server-Sent Events). read()
 * fills buf and returns the bytes written, 0 when nothing is ready yet
 * (the server parks the connection until http_wake() and sends a
 * heartbeat comment now and then), or -1 to end the stream. free() is
 * called once when the connection is gone.
 */
struct resp_stream {
	long (*read)(void *ctx, char *buf, size_t max);
	void (*free)(void *ctx);
	void *ctx;
};

struct resp {
	int status;
	int rc;			/* 0, or the ERMS_E* code the answer failed
				 * with: on the writer, non-zero rolls the
				 * handler's writes back */
	struct resp_stream stream;	/* .read set: a streamed body */
	json_t *json;		/* owned */
	char *body;		/* owned unless body_static */
	size_t len;
	bool body_static;
	const char *ctype;
	struct resp_header hdr[RESP_HEADERS_MAX];
	int nhdr;
	/*
	 * A write's answer built after its commit, on the connection's
	 * thread rather than the writer's (http/batch.h): finish(rs) makes
	 * the body from finish_ctx; finish_free(finish_ctx) frees it, also
	 * when the answer became an error instead.
	 */
	void (*finish)(struct resp *rs);
	void *finish_ctx;
	void (*finish_free)(void *ctx);
};

struct page_cache;

struct req {
	struct app *app;
	struct store *st;	/* reader, or the writer's connection */
	const struct route *route;
	const char *method;
	char *path;		/* owned, without the query string */
	char *param[ROUTE_PARAMS_MAX];	/* {name} values, owned */
	int nparam;
	json_t *body;		/* the parsed JSON body, or NULL; owned */
	const char *raw;	/* .raw_body routes: the body as sent */
	size_t raw_len;
	struct principal who;	/* who.user.id == 0: anonymous */
	int64_t now_ms;
	const char *lang;	/* "zh-CN" or "en" */
	char addr[64];		/* client address */
	void *ctx;		/* from prep() to fn() */
	void (*ctx_free)(void *);
	struct page_cache *pages;	/* the server's rendered answers */
	void *priv;		/* server.c's */
};

/* A query-string argument, or NULL (only on the I/O thread). */
const char *req_query(struct req *rq, const char *name);
/* A request header, or NULL (only on the I/O thread). */
const char *req_header(struct req *rq, const char *name);
/* A cookie's value, or NULL (only on the I/O thread). */
const char *req_cookie(struct req *rq, const char *name);
/*
 * From a route's prep: finish the prep with fn in a slot of the password
 * gate (util/crypto.h), off the I/O thread, and meanwhile suspend the
 * connection. fn answers rs or leaves it for the route's handler, which
 * then runs as usual (write routes only). fn is called with late when
 * no slot came in time, or at once when the queue is full: it answers
 * busy without hashing. rq->st is NULL in fn.
 */
void req_defer(struct req *rq,
	       void (*fn)(struct req *rq, struct resp *rs, bool late));
/* The route parameter at index i as a positive id, or 0 if not one. */
int64_t req_param_id(const struct req *rq, int i);

/* {"items": items, "next_cursor": ...} with the cursor "last" or null. */
void resp_list(struct resp *rs, json_t *items, int64_t last);

/* Answer with JSON (steals j). */
void resp_json(struct resp *rs, int status, json_t *j);
/* Answer with no body (204) or a status alone. */
void resp_status(struct resp *rs, int status);
/* Answer with bytes of type ctype; the body is copied. */
void resp_bytes(struct resp *rs, int status, const char *ctype,
		const void *p, size_t n);
/* Answer with bytes of type ctype taken over: p is freed with the answer. */
void resp_take(struct resp *rs, int status, const char *ctype, char *p,
	       size_t n);
/* Answer with static bytes (not copied, not freed). */
void resp_static(struct resp *rs, int status, const char *ctype,
		 const void *p, size_t n);
/* Add a header (value is copied). */
void resp_header(struct resp *rs, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error answer from an ERMS_E* code and an errbuf (may be NULL);
 * sets rs->rc = rc. */
void resp_err(struct req *rq, struct resp *rs, int rc, const struct errbuf *e);
/* An error answer with an explicit status and code, for a request that
 * fails to decode before any app call (rs->rc = ERMS_EINVAL). */
void resp_fail(struct req *rq, struct resp *rs, int status, const char *code,
	       const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* ETag: "version", for an answer of one versioned object (app/version.h);
 * an If-Match of the same value makes a write from it. */
void resp_etag(struct resp *rs, int64_t version);
/* The version a write names (its body's "version", where If-Match put
 * it too: http/pipeline.c); 0: none. */
int64_t req_version(const struct req *rq);
/* Free what rs owns and reset it. */
void resp_release(struct resp *rs);
/* HTTP status for an ERMS_E* code. */
int http_status_of(int rc);

#endif
