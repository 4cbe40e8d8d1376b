/*
 * notifications.c - store.h's outbox: one row per message to one
 * recipient over one channel.
 */
#include "store/store.h"

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct notification
static const struct col nt_cols[] = COL_TABLE(NOTIFICATION_COLS);
#undef COL_TYPE
COL_TABLE_FITS(nt_cols);

/* st_one's reset: free what obj holds before a row is read in. */
static void nt_reset(void *n)
{
	notification_release(n);
}

int store_notification_insert(struct store *st, struct notification *n)
{
	struct sval p[] = {
		SV_I(n->incident_id), SV_S(n->event), SV_I(n->tier),
		SV_I(n->channel_id), n->user_id ? SV_I(n->user_id) : SV_NUL,
		SV_S(n->recipient), SV_S(n->locale), SV_S(n->subject),
		SV_S(n->text), SV_S(n->markdown), SV_S(n->link),
		SV_S(n->ack_link ? n->ack_link : ""), SV_S(n->idem_key),
		n->ack_hash[0] ? SV_S(n->ack_hash) : SV_NUL,
		SV_I(n->ack_expires_ms), SV_I(n->created_ms),
		SV_I(n->next_ms ? n->next_ms : n->created_ms),
		SV_S(n->mentions ? n->mentions : "[]"),
	};

	n->state = NS_PENDING;
	return st_int(st, Q_NT_INSERT, p, ARRAY_SIZE(p), &n->id);
}

int store_notification_get(struct store *st, int64_t id,
			   struct notification *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_NT_GET, p, 1, nt_cols, nt_reset, out);
}

int store_notification_by_ack(struct store *st, const char *ack_hash,
			      struct notification *out)
{
	struct sval p[] = { SV_S(ack_hash) };

	return ST_ONE(st, Q_NT_BY_ACK, p, 1, nt_cols, nt_reset, out);
}

struct nt_walk {
	store_notification_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_nt(void *ctx, const struct srow *r)
{
	struct nt_walk *w = ctx;
	struct notification n = { 0 };
	int rc;

	DECODE(nt_cols, r, 0, &n);
	rc = w->fn(w->ctx, &n);
	notification_release(&n);
	return rc;
}

int store_notification_due(struct store *st, int64_t now_ms, int limit,
			   store_notification_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct nt_walk w = { fn, ctx };

	return st_query(st, Q_NT_DUE, p, 2, walk_nt, &w);
}

int store_notification_claim(struct store *st, int64_t now_ms,
			     int64_t lease_until_ms, int limit,
			     store_notification_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(lease_until_ms), SV_I(limit) };
	struct nt_walk w = { fn, ctx };

	return st_query(st, Q_NT_CLAIM, p, ARRAY_SIZE(p), walk_nt, &w);
}

int store_notification_update(struct store *st, const struct notification *n)
{
	struct sval p[] = {
		SV_I(n->id), SV_S(notif_state_name(n->state)),
		SV_I(n->attempts), SV_I(n->next_ms),
		SV_S(n->last_error ? n->last_error : ""), SV_I(n->sent_ms),
	};

	return st_run1(st, Q_NT_UPDATE, p, ARRAY_SIZE(p));
}

int store_notification_ack(struct store *st, int64_t id, int64_t acked_ms,
			   const char *acked_by)
{
	struct sval p[] = { SV_I(id), SV_I(acked_ms), SV_S(acked_by) };
	int rc = st_run1(st, Q_NT_ACK, p, ARRAY_SIZE(p));

	return rc == ERMS_ENOTFOUND ? ERMS_ECONFLICT : rc;
}

int store_notification_set_ack(struct store *st, int64_t id,
			       const char *ack_link, const char *ack_hash)
{
	struct sval p[] = { SV_I(id), SV_S(ack_link), SV_S(ack_hash) };

	return st_run1(st, Q_NT_SET_ACK, p, ARRAY_SIZE(p));
}

int store_notification_list(struct store *st,
			    const struct notification_filter *f,
			    store_notification_fn *fn, void *ctx)
{
	struct sval p[] = {
		SV_I(f->incident_id), SV_S(f->state ? f->state : ""),
		SV_I(f->channel_id), SV_I(f->limit),
		SV_I(f->before_id ? f->before_id : INT64_MAX),
	};
	struct nt_walk w = { fn, ctx };

	return st_query(st, Q_NT_LIST, p, ARRAY_SIZE(p), walk_nt, &w);
}
