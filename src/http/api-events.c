/*
 * api-events.c - live updates as Server-Sent Events.
 *
 * Every change to an incident, its tasks or its timeline writes a row to
 * the event log in the same transaction. A subscriber's stream reads the
 * log after the last id it sent, so a reconnect with Last-Event-ID gets
 * exactly what it missed, and order is commit order. Recent events come
 * from the ring of app/bus.h, rendered once for every subscriber: a
 * stream copies their bytes straight into its connection's buffer and
 * keeps only its place. With nothing to send the stream is parked (no
 * thread held) until a commit adds events or the heartbeat comes round.
 * A stream that resumes from before the oldest event the log still
 * keeps (its retention, app/tick.h) is told so by a "missed" event.
 *
 * Revocation reaches an open stream: a commit that revokes a session or
 * token, disables a user or changes a password or a membership moves the
 * store's revocation generation, which wakes every stream; a stream whose
 * generation is behind checks its principal again (one lookup) and ends
 * when the sign-in no longer works. So does a stream whose session or
 * token reached the end of its lifetime (seen at the next heartbeat).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/incidents.h"
#include "app/reads.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define EVENTS_PER_READ 200

struct sse {
	struct app *app;
	struct principal who;
	int64_t gen;		/* revocation generation last checked at */
	struct bus_pos pos;	/* what is sent (bus.h) */
	/* Bytes of the stream's own to send before the ring's: the first
	 * lines, and events read from the log (a subscriber far behind). */
	struct buf out;
	size_t sent;		/* bytes of out already given to the client */
};

/* From the log: frames as the ring renders them, the first one from
 * where a frame cut in the ring left off. */
static int from_log(void *ctx, int64_t id, int64_t at_ms, const char *kind,
		    int64_t incident_id, const char *data)
{
	struct sse *s = ctx;
	size_t at = s->out.len;

	(void)at_ms;
	(void)incident_id;
	if (app_incident_readable(&s->who)) {
		bus_render(&s->out, id, kind, data);
		if (s->pos.off) {
			memmove(s->out.data + at, s->out.data + at + s->pos.off,
				s->out.len - at - s->pos.off);
			s->out.len -= s->pos.off;
		}
	}
	s->pos.after = id;
	s->pos.off = 0;
	return 0;
}

/* Whether the subscriber's sign-in still works (see the top). */
static bool still_signed_in(struct sse *s)
{
	int64_t gen = app_auth_gen(s->app), now = clock_now_ms();
	struct store *st;
	int rc;

	if (gen == s->gen &&
	    (!s->who.valid_until_ms || now < s->who.valid_until_ms))
		return true;
	st = app_reader_get(s->app);
	rc = app_recheck(s->app, st, &s->who, now);
	app_reader_put(s->app, st);
	s->gen = gen;
	return !rc && app_incident_readable(&s->who);
}

/*
 * When the log no longer holds every event after s->pos (pruned: its
 * oldest, first, is past the next one wanted), a "missed" event says so,
 * with the id before the oldest kept, so that a client that reconnects
 * from it is not told twice; the client reloads what it shows
 * (docs/api.md). A frame cut in the middle cannot be followed by it:
 * the stream ends (-1) and the reconnect gets it whole.
 */
static int check_missed(struct sse *s, struct store *st)
{
	int64_t first = 0;
	int rc = bus_log_first(st, &first);

	if (rc || first <= s->pos.after + 1)
		return rc;
	if (s->pos.off)
		return -1;
	buf_addf(&s->out, "id: %lld\nevent: missed\n"
		 "data: {\"after\":%lld,\"first\":%lld}\n\n",
		 (long long)(first - 1), (long long)s->pos.after,
		 (long long)first);
	s->pos.after = first - 1;
	return 0;
}

/* The events after s->pos from the log into s->out. */
static int read_log(struct sse *s)
{
	struct store *st = app_reader_get(s->app);
	int rc = check_missed(s, st);

	if (!rc)
		rc = app_event_list(st, &s->who, s->pos.after,
				    EVENTS_PER_READ, from_log, s);
	app_reader_put(s->app, st);
	return rc;
}

static long sse_read(void *ctx, char *dst, size_t max)
{
	struct sse *s = ctx;
	size_t n;
	long got;

	if (s->sent == s->out.len) {
		if (!still_signed_in(s))
			return -1;
		/* Idle streams hold no buffer of their own. */
		buf_release(&s->out);
		s->sent = 0;
		got = bus_copy(&s->app->bus, &s->pos,
			       app_incident_readable(&s->who), dst, max);
		if (got >= 0)
			return got;
		if (read_log(s))
			return -1;
		if (!s->out.len)
			return 0;
	}
	n = s->out.len - s->sent;
	if (n > max)
		n = max;
	memcpy(dst, s->out.data + s->sent, n);
	s->sent += n;
	return (long)n;
}

static void sse_free(void *ctx)
{
	struct sse *s = ctx;

	buf_release(&s->out);
	free(s);
}

/* The id to resume after from Last-Event-ID (or ?last_event_id=):
 * *resume false when none was given. */
static int resume_of(struct req *rq, bool *resume, int64_t *id,
		     struct errbuf *e)
{
	const char *last = req_header(rq, "Last-Event-ID");
	char *end;

	if (!last)
		last = req_query(rq, "last_event_id");
	*resume = last && *last;
	*id = 0;
	if (!*resume)
		return 0;
	*id = strtoll(last, &end, 10);
	if (!*end && *id >= 0)
		return 0;
	return err_fail(e, ERMS_EINVAL, "Last-Event-ID",
			"Last-Event-ID is an event id");
}

void api_events(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct sse *s;
	bool resume = false;
	int64_t last = 0;
	int rc = resume_of(rq, &resume, &last, &e);

	if (!rc)
		rc = app_events_open(rq->st, &rq->who, resume, &last, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->app = rq->app;
	s->who = rq->who;
	s->gen = INT64_MIN;	/* check once: a revocation may have raced */
	s->pos.after = last;
	buf_init(&s->out, BUF_UNLIMITED);
	/* Tell the client how soon to come back, and flush the headers. */
	buf_adds(&s->out, "retry: 3000\n: connected\n\n");
	/* A resume from before the log's retention: the ring may still
	 * hold what the log lost, but the answer must not depend on it. */
	if (resume && check_missed(s, rq->st)) {
		sse_free(s);
		resp_err(rq, rs, ERMS_ESTORE, NULL);
		return;
	}
	rs->status = 200;
	rs->ctype = "text/event-stream; charset=utf-8";
	rs->stream = (struct resp_stream){ sse_read, sse_free, s };
	resp_header(rs, "Cache-Control", "no-store");
	resp_header(rs, "X-Accel-Buffering", "no");
}
