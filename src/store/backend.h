/*
 * backend.h - what a storage backend implements (private to src/store/).
 *
 * Entity functions (users.c, groups.c, ...) are written once against these
 * primitives:
 * run a named query (enum q, text in sql.c) with bound parameters and get
 * rows back as an array of struct sval. A backend only knows how to open,
 * migrate, run transactions and run a query. Query text is shared by every
 * engine where they agree ($1 parameters, RETURNING, ON CONFLICT); a
 * backend may replace the text of a query that differs.
 */
#ifndef ERMS_STORE_BACKEND_H
#define ERMS_STORE_BACKEND_H

#include <stdint.h>

#include "store/store.h"

enum sval_type { SV_NULL, SV_INT, SV_TEXT };

struct sval {
	enum sval_type t;
	int64_t i;
	const char *s;	/* borrowed */
};

#define SV_I(x) ((struct sval){ .t = SV_INT, .i = (x) })
#define SV_S(x) ((struct sval){ .t = SV_TEXT, .s = (x) })
#define SV_B(x) SV_I((x) ? 1 : 0)
#define SV_NUL ((struct sval){ .t = SV_NULL })

#define SROW_MAX 40

struct srow {
	int n;
	struct sval col[SROW_MAX];
};

typedef int srow_fn(void *ctx, const struct srow *r);

enum q {
	Q_PING, Q_HEALTH_PROBE,
	Q_USER_INSERT, Q_USER_GET, Q_USER_BY_LOGIN, Q_USER_PWHASH,
	Q_USER_UPDATE, Q_USER_SET_PASSWORD, Q_USER_COUNT, Q_USER_LIST,
	Q_GROUP_INSERT, Q_GROUP_GET, Q_GROUP_UPDATE, Q_GROUP_LIST,
	Q_MEMBER_PUT, Q_MEMBER_DELETE, Q_MEMBERS_OF_GROUP, Q_GROUPS_OF_USER,
	Q_SESSION_INSERT, Q_SESSION_GET, Q_SESSION_TOUCH, Q_SESSION_REVOKE,
	Q_SESSION_REVOKE_USER,
	Q_TOKEN_INSERT, Q_TOKEN_BY_HASH, Q_TOKEN_GET, Q_TOKEN_TOUCH,
	Q_TOKEN_REVOKE, Q_TOKEN_REVOKE_USER, Q_TOKEN_LIST,
	Q_SESSION_BY_ID, Q_SESSION_REVOKE_OTHERS, Q_TOKEN_REVOKE_OTHERS,
	Q_TOKEN_REVOKE_FEEDS, Q_AUTH_EPOCH,
	Q_AUDIT_HEAD, Q_AUDIT_INSERT, Q_AUDIT_LIST,
	Q_AUDIT_KEY_GET, Q_AUDIT_KEY_PUT,
	Q_PLAN_BY_KEY, Q_PLAN_INSERT, Q_PLAN_LIST,
	Q_PV_NEXT_N, Q_PV_INSERT, Q_PV_GET, Q_PV_LIST, Q_PV_UPDATE,
	Q_PV_CURRENT, Q_PV_PUBLISHED_OF_PLAN, Q_PV_BY_ID,
	Q_PV_EDITOR_PUT, Q_PV_EDITORS,
	Q_ACK_PUT, Q_ACK_LIST, Q_ACK_LIST_GROUP,
	Q_INC_NEXT_NUMBER, Q_INC_INSERT, Q_INC_GET, Q_INC_BY_NUMBER,
	Q_INC_UPDATE, Q_INC_LIST,
	Q_FTS_INSERT, Q_FTS_APPEND, Q_FTS2_INSERT, Q_FTS2_APPEND, Q_INC_DUE,
	Q_INC_UNACKED,
	Q_TASK_INSERT, Q_TASK_GET, Q_TASK_LIST, Q_TASK_UPDATE,
	Q_TL_INSERT, Q_TL_LIST,
	Q_EVENT_INSERT, Q_EVENT_LIST, Q_EVENT_LAST,
	Q_CH_INSERT, Q_CH_GET, Q_CH_UPDATE, Q_CH_LIST, Q_CH_DELETE, Q_CH_USED,
	Q_GCH_CLEAR, Q_GCH_ADD, Q_GCH_LIST, Q_GCH_CLEAR_CHANNEL,
	Q_NT_INSERT, Q_NT_GET, Q_NT_BY_ACK, Q_NT_DUE, Q_NT_UPDATE, Q_NT_LIST,
	Q_NT_SET_ACK,
	Q_ROT_INSERT, Q_ROT_LIST, Q_OV_INSERT, Q_OV_LIST,
	Q_BUL_INSERT, Q_BUL_LIST, Q_BUL_PUBLIC,
	Q_SUP_INSERT, Q_SUP_GET, Q_SUP_UPDATE, Q_SUP_LIST, Q_SUP_TAKE,
	Q_SUP_ADD, Q_SUP_NOTICE, Q_MOV_INSERT, Q_MOV_LIST, Q_MOV_INCIDENT,
	Q_BUDGET_PUT, Q_BUDGET_GET, Q_EXP_INSERT, Q_EXP_LIST, Q_EXP_SUM,
	Q_DRILL_INSERT, Q_DRILL_GET, Q_DRILL_UPDATE, Q_DRILL_LIST,
	Q_DRILL_NOTICE, Q_INC_STATS,
	Q__COUNT
};

/* Shared query text, indexed by enum q. */
extern const char *const store_sql[Q__COUNT];

struct store_ops {
	const char *scheme;
	int (*open)(struct store **out, const char *url, unsigned flags,
		    struct errbuf *err);
	void (*close)(struct store *st);
	int (*schema)(struct store *st, int *have, int *want);
	int (*migrate)(struct store *st, int *from, int *to,
		       struct errbuf *err);
	int (*backup)(struct store *st, const char *path, struct errbuf *err);
	int (*begin)(struct store *st);
	int (*commit)(struct store *st);
	int (*rollback)(struct store *st);
	int (*savepoint)(struct store *st);
	int (*release)(struct store *st);
	int (*rollback_to)(struct store *st);
	/*
	 * Run query q with params p[0..np) ($1..$np). fn (may be NULL) gets
	 * each row. *changes (may be NULL) receives the number of rows
	 * written. Returns 0, the callback's non-zero value, or ERMS_E*.
	 */
	int (*query)(struct store *st, enum q q, const struct sval *p, int np,
		     srow_fn *fn, void *ctx, int64_t *changes);
};

/* Every backend's connection struct starts with this. */
struct store {
	const struct store_ops *ops;
};

extern const struct store_ops store_sqlite_ops;

#endif
