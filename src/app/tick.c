/*
 * tick.c - the ticker thread and the timer job it queues.
 */
#include "app/tick.h"

#include <stdlib.h>
#include <time.h>

#include "app/drills.h"
#include "app/escalate.h"
#include "app/supplies.h"
#include "app/writer.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/thread.h"
#include "util/xalloc.h"

#define TICK_S 1
#define MINUTE_TICKS 60

struct timer_job {
	struct wjob job;
	struct app_ticker *t;
	int64_t now_ms;
	bool minutely;
};

/* On the writer: breaches, the chain's tiers due and, once a minute,
 * inspections coming due and drills overdue. */
static int timer_run(struct wjob *j, struct store *st)
{
	struct timer_job *b = container_of(j, struct timer_job, job);
	const struct app_config *cfg = &b->t->app->cfg;
	struct plan_cache *pc = &b->t->app->plans;
	int n, rc = app_breaches_record(pc, st, b->now_ms, &n);

	if (!rc)
		rc = app_escalation_run(pc, st, b->now_ms, &n);
	if (!rc && b->minutely)
		rc = app_supply_inspections(st, b->now_ms, &n);
	if (!rc && b->minutely)
		rc = app_drill_warn(st, b->now_ms, cfg->drill_warn_days
				    ? cfg->drill_warn_days
				    : DRILL_WARN_DAYS_DEFAULT, &n);
	return rc;
}

static void timer_done(struct wjob *j, int rc)
{
	struct timer_job *b = container_of(j, struct timer_job, job);

	(void)rc;
	atomic_store(&b->t->queued, false);
	free(b);
}

void app_tick(struct app_ticker *t, int64_t now_ms, bool minutely)
{
	struct store *st;
	struct timer_job *b;
	bool due;

	if (atomic_load(&t->queued))
		return;
	st = app_reader_get(t->app);
	due = minutely || app_breaches_due(st, now_ms) ||
	      app_escalation_due(&t->app->plans, st, now_ms);
	app_reader_put(t->app, st);
	if (!due)
		return;
	b = xcalloc(1, sizeof(*b));
	b->job.run = timer_run;
	b->job.done = timer_done;
	b->t = t;
	b->now_ms = now_ms;
	b->minutely = minutely;
	atomic_store(&t->queued, true);
	writer_submit(&t->app->writer, &b->job);
}

/* Once a second until stopped; the first tick is a minutely one. */
static void *ticker(void *arg)
{
	struct app_ticker *t = arg;

	thread_name("erms-tick");
	pthread_mutex_lock(&t->mu);
	while (!atomic_load(&t->stopping)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += TICK_S;
		pthread_cond_timedwait(&t->cv, &t->mu, &ts);
		if (atomic_load(&t->stopping))
			break;
		pthread_mutex_unlock(&t->mu);
		app_tick(t, clock_now_ms(), t->ticks % MINUTE_TICKS == 0);
		t->ticks++;
		pthread_mutex_lock(&t->mu);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

int app_ticker_start(struct app_ticker *t, struct app *app)
{
	*t = (struct app_ticker){ .app = app };
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->thread, NULL, ticker, t)) {
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->cv);
		return ERMS_EIO;
	}
	return 0;
}

void app_ticker_stop(struct app_ticker *t)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	atomic_store(&t->stopping, true);
	pthread_mutex_lock(&t->mu);
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	while (atomic_load(&t->queued))
		nanosleep(&pause, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
}
