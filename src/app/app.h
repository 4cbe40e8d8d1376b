/*
 * app.h - the use cases of erms, and the state a server shares.
 *
 * app_* functions are the only code that decides what a request does to
 * the data. Write functions take the store they must write to (the writer
 * thread's, inside the batch transaction, or a local command's) and append
 * their audit row through audit_append() in the same transaction; read
 * functions take any store. Rights are checked here, with may().
 */
#ifndef ERMS_APP_APP_H
#define ERMS_APP_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/bus.h"
#include "app/intake-limits.h"
#include "app/limits.h"
#include "app/listen.h"
#include "app/plancache.h"
#include "app/writer.h"
#include "core/rights.h"
#include "core/types.h"
#include "util/err.h"

struct store;
struct intake_conf_cache;

struct app_config {
	const char *db_url;
	const char *key_path;		/* NULL: "<db>.key" (app/keys.h) */
	const char *anchor_path;	/* NULL: next to the key file */
	int64_t session_idle_ms;	/* sessions expire after this idle */
	int64_t session_max_ms;		/* ... and this long after sign-in */
	int max_batch;			/* group commit batch ceiling */
	int readers;			/* reader connections in the pool */
	bool test_clock;		/* allow POST /api/v1/test/clock */
	const char *public_url;		/* the console's address, in links */
	bool allow_private_webhooks;	/* channel URLs may point inside
					 * (loopback, private addresses) */
	bool https;			/* served over TLS (public_url is
					 * https, or a TLS proxy in front):
					 * Secure cookies and HSTS */
	const char *metrics_token;	/* /metrics wants this bearer token */
	const char *metrics_allow;	/* /metrics only from these addresses
					 * ("127.0.0.1,10.0.0.0/8,::1") */
	int notify_attempts;		/* deliveries tried before failed */
	int64_t notify_backoff_ms;	/* the first retry's delay */
	int64_t notify_lease_ms;	/* a claimed message is this node's
					 * (app/delivery.c); 0: default */
	int drill_warn_days;		/* overdue drills told this many days
					 * before the year ends; 0: default,
					 * negative: never */
	int event_retention_days;	/* events kept this many days (for
					 * replay, app/tick.h); 0: default,
					 * negative: no limit by age */
	int64_t event_retention_events;	/* ... and at most this many of
					 * the newest; 0: no limit by count */
	const char *pack_dir;		/* keep the emergency pack here
					 * (app/pack.h), NULL: none */
};

struct app {
	struct app_config cfg;
	struct store *wst;		/* the writer's connection */
	struct writer writer;
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;
	struct store **pool;		/* idle reader connections */
	int pool_n;
	int pool_cap;
	struct login_limits limits;
	struct intake_limits intake_limits;	/* per integration */
	struct intake_conf_cache *intake_confs;	/* the writer's compiled
						 * settings (intake-conf.h) */
	struct bus bus;			/* recent events for live updates */
	struct listen listen;		/* other nodes' commits */
	struct plan_cache plans;	/* typed plans per version id */
	/* The last write probe (app_health): at most one a second. */
	pthread_mutex_t health_mu;
	int64_t health_us;		/* monotonic; 0: never probed */
	int health_rc;
	int health_db;			/* the writer's role (app.c) */
	_Atomic int64_t auth_gen;	/* the store's revocation generation */
	_Atomic bool pack_poke;		/* rebuild the pack in pack_dir at
					 * the next tick (the test clock) */
	_Atomic bool leader;		/* this node runs the scheduler
					 * (app/tick.c): its writer holds
					 * the store's scheduler lock */
	/*
	 * A test message sent now on channel c (the delivery worker sets
	 * it when it starts; NULL: none runs); an e-mail goes to `to`.
	 * Fills outcome ("sent",
	 * "retry", "throttled", "failed"), code (the service's own code,
	 * "310000", "no_service", "" when it gave none) and error (the
	 * service's verdict, "" when sent); returns 0, or an ERMS_E* code when it could not
	 * be tried. Blocks for up to the delivery timeout.
	 */
	int (*channel_test)(void *ctx, const struct channel *c,
			    const char *lang, const char *to,
			    char outcome[16], char code[24],
			    char error[256]);
	void *channel_test_ctx;
};

/* Open the stores (the schema must be current), open the key file (made
 * when the database has no key yet) and start the writer, which replaces
 * the audit anchor after each commit. */
int app_open(struct app *app, const struct app_config *cfg,
	     struct errbuf *err);
/* Stop the writer after it ran every queued job, close every store. */
void app_close(struct app *app);
/* Borrow a reader connection; give it back with app_reader_put(). */
struct store *app_reader_get(struct app *app);
void app_reader_put(struct app *app, struct store *st);
/*
 * Can the store still take a durable write? Runs a one-row write probe
 * through the writer (so a full disk or a read-only file system is
 * seen), at most once a second: callers in between, or while another
 * probe runs, get the last result. 0 or an ERMS_E* code.
 */
int app_health(struct app *app, int64_t now_ms);
/* A cheap round trip on st (a reader): can the database still be read?
 * 0 or an ERMS_E* code; /healthz asks this before app_health(). */
int app_ping(struct store *st);
/*
 * app_health(), and which database the writer reaches, for /healthz and
 * a load balancer's check: the engine ("sqlite", "postgres"), its role
 * ("embedded", "primary", "standby"; "unknown" before a probe could ask)
 * and whether it takes writes (a standby or a read-only server answers
 * ERMS_ESTORE). db may be NULL.
 */
struct app_db_role {
	const char *engine;	/* static */
	char role[16];
	bool writable;
};
int app_health_db(struct app *app, int64_t now_ms, struct app_db_role *db);

/* Who is signed in: the actor for may(), and the user. */
struct principal {
	struct actor actor;
	struct user user;
	int64_t session_id;	/* cookie sign-in, else 0 */
	int64_t token_id;	/* bearer token, else 0 */
	int64_t last_seen_ms;	/* of the session or token */
	char csrf[65];		/* the session's CSRF token */
	int64_t valid_until_ms;	/* the session or token ends; 0: never */
};

/* The system itself as a principal: what erms does on its own (the
 * scheduler) and what the operator's local commands do (erms init, erms
 * demo). May do everything; its audit rows name actor 0. */
extern const struct principal principal_system;

#define TOKEN_DAYS_DEFAULT 90		/* an API token's default lifetime */
#define TOKEN_DAYS_MAX 3650
#define FEED_TOKEN_DAYS 365		/* a calendar feed token's */
#define SESSION_MAX_DEFAULT_MS (7 * 86400 * 1000LL)

/* Fill p->actor's group flags from the user's memberships, as they stand
 * at now_ms (a leadership membership reviews plans only after its
 * cooling-off, core/planflow.h). */
int app_load_actor(struct store *st, struct principal *p, int64_t now_ms);
/*
 * Resolve a session cookie or bearer token secret. ERMS_EAUTH when it is
 * unknown, revoked, expired or the user is disabled.
 */
int app_auth_session(struct app *app, struct store *st, const char *secret,
		     int64_t now_ms, struct principal *out);
int app_auth_token(struct store *st, const char *secret, int64_t now_ms,
		   struct principal *out);
/* A calendar feed token (?token= on a feed URL); API tokens do not work
 * there, nor feed tokens anywhere else. */
int app_auth_feed_token(struct store *st, const char *secret, int64_t now_ms,
			struct principal *out);

/*
 * Revocation reaching what is already open. app_auth_refresh() reads the
 * store's revocation generation (after each commit) and returns true
 * when it moved; a long-lived holder of a principal (an event stream)
 * keeps the generation it last checked at, and calls app_recheck() when
 * app_auth_gen() differs or p->valid_until_ms has passed.
 */
bool app_auth_refresh(struct app *app, struct store *st);
int64_t app_auth_gen(struct app *app);
/* 0 with p's user and rights reloaded while its session or token is
 * still good (not revoked, not past its lifetime, user enabled), else
 * ERMS_EAUTH (or a storage error). The idle timeout is not applied: the
 * holder is using it. */
int app_recheck(struct app *app, struct store *st, struct principal *p,
		int64_t now_ms);

/*
 * Sign-in, in two steps: app_signin_begin() reserves an attempt and
 * reads the login's hash (with a reader); app_signin_finish() checks the
 * password against it (slow, Argon2id: in a slot of the password gate,
 * util/crypto.h, outside the writer), or, late, gives the attempt back
 * and answers busy.
 */
struct signin {
	struct user user;
	char pwhash[128];	/* PWHASH_LEN */
	bool known;		/* the login exists */
	int64_t now_ms;
};

int app_signin_begin(struct app *app, struct store *st, const char *login,
		     const char *addr, int64_t now_ms, struct signin *s,
		     int64_t *retry_after_s, struct errbuf *err);
int app_signin_finish(struct app *app, const struct signin *s,
		      const char *login, const char *password,
		      const char *addr, bool late, struct errbuf *err);
/* Create a session; secret and csrf receive new random values. */
int app_session_create(struct store *st, const struct user *u, int64_t now_ms,
		       char secret[64], char csrf[64]);
int app_session_revoke(struct store *st, const struct principal *p,
		       int64_t now_ms);

/* Accounts. pwhash comes from password_hash(), computed before. */
int app_user_create(struct store *st, const struct principal *p,
		    struct user *u, const char *pwhash, int64_t now_ms,
		    struct errbuf *err);
/* Replace the editable fields of user u->id; pwhash may be NULL. */
int app_user_update(struct store *st, const struct principal *p,
		    struct user *u, const char *pwhash, int64_t now_ms,
		    struct errbuf *err);
int app_user_disable(struct store *st, const struct principal *p, int64_t id,
		     int64_t now_ms, struct errbuf *err);

int app_group_create(struct store *st, const struct principal *p,
		     struct group *g, int64_t now_ms, struct errbuf *err);
int app_group_update(struct store *st, const struct principal *p,
		     struct group *g, int64_t now_ms, struct errbuf *err);
/*
 * Put a user into a group (or change their role there). A membership an
 * API caller p makes counts for plan approvals only after the cooling-off
 * of the plan in force (core/planflow.h); one the system makes
 * (principal_system: a local command) at once. The audit row says from when.
 */
int app_member_put(struct store *st, const struct principal *p,
		   const char *key, int64_t user_id, enum member_role role,
		   int64_t now_ms, struct errbuf *err);
int app_member_delete(struct store *st, const struct principal *p,
		      const char *key, int64_t user_id, int64_t now_ms,
		      struct errbuf *err);

/* A new token for p's user; secret receives the value shown once. */
int app_token_create(struct store *st, const struct principal *p,
		     struct token_info *t, char secret[64], int64_t now_ms,
		     struct errbuf *err);
int app_token_revoke(struct store *st, const struct principal *p, int64_t id,
		     int64_t now_ms, struct errbuf *err);
/* A new calendar feed token for p's user (read-only, .ics feeds only);
 * the user's earlier feed tokens are revoked. t receives the row. */
int app_feed_token_create(struct store *st, const struct principal *p,
			  struct token_info *t, char secret[64],
			  int64_t now_ms, struct errbuf *err);
/* Revoke p's user's feed tokens; ERMS_ENOTFOUND when there was none. */
int app_feed_token_revoke(struct store *st, const struct principal *p,
			  int64_t now_ms, struct errbuf *err);

/* Bookkeeping writes that are not audited: last-seen times. */
int app_touch(struct store *st, int64_t session_id, int64_t token_id,
	      int64_t now_ms);

/* A request body's shape check (field names, types, lengths), handed
 * to a use case that must ask its right first: 0, or ERMS_EINVAL with
 * the errbuf filled. */
struct json_t;
typedef int app_shape_fn(const struct json_t *body, struct errbuf *err);

/* A check for routes: ERMS_EPERM with a message unless may(). */
int app_may(const struct principal *p, enum action act,
	    const struct object *o, struct errbuf *err);

#endif
