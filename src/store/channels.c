/*
 * channels.c - store.h's notification channels and the chat channels of
 * groups.
 */
#include "store/store.h"

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct channel
static const struct col channel_cols[] = COL_TABLE(CHANNEL_COLS);
#undef COL_TYPE

/* st_one's reset: free what obj holds before a row is read in. */
static void channel_reset(void *c)
{
	channel_release(c);
}

int store_channel_insert(struct store *st, struct channel *c)
{
	struct sval p[] = {
		SV_S(c->name), SV_S(channel_kind_name(c->kind)), SV_S(c->config),
		SV_I(c->rate_burst), SV_I(c->rate_period_ms), SV_B(c->enabled),
		SV_I(c->created_ms), sv_opt(c->stamp.by),
	};

	c->updated_ms = c->created_ms;
	c->stamp.version = 1;
	return st_int(st, Q_CH_INSERT, p, ARRAY_SIZE(p), &c->id);
}

int store_channel_get(struct store *st, int64_t id, struct channel *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_CH_GET, p, 1, channel_cols, channel_reset, out);
}

int store_channel_update(struct store *st, struct channel *c)
{
	struct sval p[] = {
		SV_I(c->id), SV_S(c->name), SV_S(c->config),
		SV_I(c->rate_burst), SV_I(c->rate_period_ms), SV_B(c->enabled),
		SV_I(c->updated_ms), sv_opt(c->stamp.by),
	};

	return st_int(st, Q_CH_UPDATE, p, ARRAY_SIZE(p), &c->stamp.version);
}

struct channel_walk {
	store_channel_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_channel(void *ctx, const struct srow *r)
{
	struct channel_walk *w = ctx;
	struct channel c = { 0 };
	int rc;

	DECODE(channel_cols, r, 0, &c);
	rc = w->fn(w->ctx, &c);
	channel_release(&c);
	return rc;
}

int store_channel_list(struct store *st, store_channel_fn *fn, void *ctx)
{
	struct channel_walk w = { fn, ctx };

	return st_query(st, Q_CH_LIST, NULL, 0, walk_channel, &w);
}

int store_channel_delete(struct store *st, int64_t id, bool *disabled)
{
	struct sval p[] = { SV_I(id) };
	struct channel c = { 0 };
	int64_t used;
	int rc = store_channel_get(st, id, &c);

	*disabled = false;
	if (!rc)
		rc = st_run(st, Q_GCH_CLEAR_CHANNEL, p, 1, NULL);
	if (!rc)
		rc = st_int(st, Q_CH_USED, p, 1, &used);
	if (!rc && used) {
		/* The delivery log keeps its channel: only disable it. */
		c.enabled = false;
		rc = store_channel_update(st, &c);
		*disabled = true;
	} else if (!rc) {
		rc = st_run1(st, Q_CH_DELETE, p, 1);
	}
	channel_release(&c);
	return rc;
}

int store_group_channels_set(struct store *st, int64_t group_id,
			     const int64_t *ids, int n)
{
	struct sval p[] = { SV_I(group_id) };
	int rc = st_run(st, Q_GCH_CLEAR, p, 1, NULL);

	for (int i = 0; !rc && i < n; i++) {
		struct sval q[] = { SV_I(group_id), SV_I(ids[i]) };

		rc = st_run(st, Q_GCH_ADD, q, 2, NULL);
	}
	return rc;
}

int store_group_channels(struct store *st, int64_t group_id,
			 store_channel_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(group_id) };
	struct channel_walk w = { fn, ctx };

	return st_query(st, Q_GCH_LIST, p, 1, walk_channel, &w);
}
