/*
 * batch.c - write requests as jobs of the group-commit writer, the
 * last-seen writes of reads, and the hook that runs after each commit
 * (batch.h).
 */
#include "http/batch.h"

#include <stdlib.h>

#include "http/stream.h"
#include "util/xalloc.h"

/* On the writer: run the handler; its rc, not the HTTP status, decides
 * commit (0) or rollback. */
static int job_run(struct wjob *j, struct store *st)
{
	struct conn *cn = container_of(j, struct conn, job);
	struct req *rq = &cn->rq;

	rq->st = st;
	rq->route->fn(rq, &cn->rs);
	if (cn->rs.rc)
		return cn->rs.rc;
	if (cn->touch)
		return app_touch(st, rq->who.session_id, rq->who.token_id,
				 rq->now_ms);
	return 0;
}

/* The batch is durable or rolled back: a failed commit replaces the
 * answer, and the connection resumes to send it. */
static void job_done(struct wjob *j, int rc)
{
	struct conn *cn = container_of(j, struct conn, job);

	cn->rq.st = NULL;
	if (rc == ERMS_ESTORE) {
		resp_release(&cn->rs);
		resp_err(&cn->rq, &cn->rs, ERMS_ESTORE, NULL);
	}
	cn->state = C_READY;
	cn->srv->link->resume(cn->c);
}

void batch_finish(struct conn *cn)
{
	struct resp *rs = &cn->rs;
	void (*finish)(struct resp *) = rs->finish;

	rs->finish = NULL;
	if (finish && !rs->rc)
		finish(rs);
	if (rs->finish_free)
		rs->finish_free(rs->finish_ctx);
	rs->finish_free = NULL;
	rs->finish_ctx = NULL;
}

void batch_submit(struct conn *cn)
{
	/* Suspend before the writer can resume us. */
	cn->srv->link->suspend(cn->c);
	batch_queue(cn);
}

void batch_queue(struct conn *cn)
{
	cn->state = C_QUEUED;
	cn->job.run = job_run;
	cn->job.done = job_done;
	writer_submit(&cn->srv->app->writer, &cn->job);
}

/* Last-seen times for reads: a write of its own, answered by no one. */
struct touch_job {
	struct wjob job;
	int64_t session_id, token_id, now_ms;
};

/* On the writer: the last-seen write itself. */
static int touch_run(struct wjob *j, struct store *st)
{
	struct touch_job *t = container_of(j, struct touch_job, job);

	return app_touch(st, t->session_id, t->token_id, t->now_ms);
}

/* Its outcome is no one's: free the job. */
static void touch_done(struct wjob *j, int rc)
{
	(void)rc;
	free(container_of(j, struct touch_job, job));
}

void batch_touch(struct conn *cn)
{
	struct touch_job *t = xcalloc(1, sizeof(*t));

	t->job.run = touch_run;
	t->job.done = touch_done;
	t->session_id = cn->rq.who.session_id;
	t->token_id = cn->rq.who.token_id;
	t->now_ms = cn->rq.now_ms;
	writer_submit(&cn->srv->app->writer, &t->job);
}

void batch_after_commit(void *ctx, struct store *st)
{
	struct http_server *srv = ctx;
	bool events = bus_fill(&srv->app->bus, st);

	intake_keys_committed(&srv->app->intake_limits, false);
	/* A revocation committed: the streams check their principals. */
	if (app_auth_refresh(srv->app, st) || events)
		stream_wake(srv);
}

void batch_after_remote(void *ctx)
{
	struct http_server *srv = ctx;
	struct store *st = app_reader_get(srv->app);
	bool events = bus_fill(&srv->app->bus, st);
	bool revoked = app_auth_refresh(srv->app, st);

	app_reader_put(srv->app, st);
	/* Another node may have written an integration. */
	intake_keys_committed(&srv->app->intake_limits, true);
	if (revoked || events)
		stream_wake(srv);
}
