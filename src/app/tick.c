/*
 * tick.c - the ticker thread and the timer job it queues.
 */
#define LOG_MOD "tick"
#include "app/tick.h"

#include <stdlib.h>
#include <time.h>

#include "app/drills.h"
#include "app/escalate.h"
#include "app/intake.h"
#include "app/keys.h"
#include "app/pack.h"
#include "app/plannotice.h"
#include "app/regulatory.h"
#include "app/supplies.h"
#include "app/writer.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/log.h"
#include "util/thread.h"
#include "util/xalloc.h"

#define TICK_S 1
#define MINUTE_TICKS 60
#define LIMIT_KEEP_MS (86400 * 1000LL)
#define PACK_RETRY_MS (60 * 1000LL)	/* after a failed build */

struct timer_job {
	struct wjob job;
	struct app_ticker *t;
	int64_t now_ms;
	bool minutely;
};

/*
 * On the writer: does this node run the scheduler? One node of those
 * sharing a database does: the one whose writer's connection holds the
 * store's scheduler lock (store_leader). The lock lives on that
 * connection, so a node whose connection died leads no more, and another
 * takes the lock on its next tick. A change is logged.
 */
static bool leads(struct app *app, struct store *st)
{
	bool yes = false;

	if (store_leader(st, &yes))
		yes = false;
	if (atomic_exchange(&app->leader, yes) != yes)
		log_info(yes ? "scheduler: this node leads"
			     : "scheduler: this node no longer leads");
	return yes;
}

/*
 * On the writer: breaches, the chain's tiers due, drills' timed injects
 * and, once a minute, inspections coming due, drills overdue and
 * reminders to acknowledge the plan in force; on the leader only. Each
 * reads what it acts on in this same write transaction (so a leader
 * that follows another never does again what the first did).
 */
static int timer_run(struct wjob *j, struct store *st)
{
	struct timer_job *b = container_of(j, struct timer_job, job);
	const struct app_config *cfg = &b->t->app->cfg;
	struct plan_cache *pc = &b->t->app->plans;
	int n, rc;

	if (!leads(b->t->app, st))
		return 0;
	rc = app_breaches_record(pc, st, b->now_ms, &n);
	if (!rc)
		rc = app_escalation_run(pc, st, b->now_ms, &n);
	if (!rc)
		rc = app_drill_injects(st, b->now_ms, &n);
	if (!rc)
		rc = app_reg_tick(pc, st, b->now_ms, &n);
	if (!rc && b->minutely)
		rc = app_supply_inspections(st, b->now_ms, &n);
	/* Sign-in limits kept in the database (several nodes) are long
	 * idle after a day: their buckets are full again. */
	if (!rc && b->minutely)
		rc = store_limit_prune(st, b->now_ms - LIMIT_KEEP_MS, NULL);
	if (!rc && b->minutely)
		rc = app_drill_warn(st, b->now_ms, cfg->drill_warn_days
				    ? cfg->drill_warn_days
				    : DRILL_WARN_DAYS_DEFAULT, &n);
	if (!rc && b->minutely)
		rc = app_plan_reminders(st, b->now_ms, &n);
	return rc;
}

/* A chunk of the event log's pruning (see tick.h). */
struct prune_job {
	struct wjob job;
	struct app_ticker *t;
	int64_t before_ms, upto_id;
	int64_t deleted;	/* by the last run */
	int runs;
};

static int prune_run(struct wjob *j, struct store *st)
{
	struct prune_job *p = container_of(j, struct prune_job, job);

	p->deleted = 0;
	if (!leads(p->t->app, st))
		return 0;
	return store_event_prune(st, p->before_ms, p->upto_id,
				 EVENT_PRUNE_CHUNK, &p->deleted);
}

/* A whole chunk went: there may be more, for the writer's next batch
 * (behind the jobs queued meanwhile). */
static void prune_done(struct wjob *j, int rc)
{
	struct prune_job *p = container_of(j, struct prune_job, job);

	if (!rc && p->deleted == EVENT_PRUNE_CHUNK &&
	    ++p->runs < EVENT_PRUNE_JOBS && !atomic_load(&p->t->stopping)) {
		writer_submit(&p->t->app->writer, &p->job);
		return;
	}
	atomic_store(&p->t->pruning, false);
	free(p);
}

/*
 * The retention of cfg at now_ms: events older than *before_ms, or more
 * than *keep behind the newest (0: no limit by count), may go. False
 * when nothing ever goes.
 */
static bool retention(const struct app_config *cfg, int64_t now_ms,
		      int64_t *before_ms, int64_t *keep)
{
	int days = cfg->event_retention_days ? cfg->event_retention_days
					     : EVENT_RETENTION_DAYS_DEFAULT;

	*before_ms = days > 0 ? now_ms - days * 86400000LL : INT64_MIN;
	*keep = cfg->event_retention_events > 0 ? cfg->event_retention_events
						: 0;
	return days > 0 || *keep;
}

/* The oldest event's id and time. */
struct oldest {
	int64_t id, at_ms;
};

static int oldest(void *ctx, int64_t id, int64_t at_ms, const char *kind,
		  int64_t incident_id, const char *data)
{
	struct oldest *o = ctx;

	(void)kind;
	(void)incident_id;
	(void)data;
	o->id = id;
	o->at_ms = at_ms;
	return 0;
}

/* Queue a chunk of pruning when the oldest event is past the retention
 * (two look-ups by the primary key on a reader). */
static void prune_tick(struct app_ticker *t, int64_t now_ms)
{
	struct oldest o = { 0, 0 };
	int64_t before, keep, last = 0, upto;
	struct prune_job *p;
	struct store *st;
	int rc;

	if (atomic_load(&t->pruning) || !atomic_load(&t->app->leader) ||
	    !retention(&t->app->cfg, now_ms, &before, &keep))
		return;
	st = app_reader_get(t->app);
	rc = store_event_last(st, &last);
	if (!rc)
		rc = store_event_list(st, 0, 1, oldest, &o);
	app_reader_put(t->app, st);
	upto = keep ? last - keep : 0;
	if (rc || !o.id || o.id >= last ||
	    (o.at_ms >= before && o.id > upto))
		return;
	p = xcalloc(1, sizeof(*p));
	p->job.run = prune_run;
	p->job.done = prune_done;
	p->t = t;
	p->before_ms = before;
	p->upto_id = upto;
	atomic_store(&t->pruning, true);
	writer_submit(&t->app->writer, &p->job);
}

/*
 * Monitoring intake's step (app_intake_tick: heartbeats missed, alerts
 * left for their timeline) in a job of its own, so that a failure there
 * holds back no breach or tier of the timer job.
 */
struct intake_job {
	struct wjob job;
	struct app_ticker *t;
	int64_t now_ms;
};

static int intake_job_run(struct wjob *j, struct store *st)
{
	struct intake_job *x = container_of(j, struct intake_job, job);

	if (!leads(x->t->app, st))
		return 0;
	return app_intake_tick(x->t->app, st, x->now_ms);
}

static void intake_job_done(struct wjob *j, int rc)
{
	struct intake_job *x = container_of(j, struct intake_job, job);

	if (rc)
		log_error("intake tick: %s", erms_strerror(rc));
	atomic_store(&x->t->intake_queued, false);
	free(x);
}

/* Queue the intake's step when it has something to do (on the leader;
 * two looks through indexes on a reader). */
static void intake_tick(struct app_ticker *t, int64_t now_ms)
{
	struct intake_job *x;
	struct store *st;
	int due;

	if (atomic_load(&t->intake_queued) || !atomic_load(&t->app->leader))
		return;
	st = app_reader_get(t->app);
	due = app_intake_due(st, now_ms);
	app_reader_put(t->app, st);
	if (!due)
		return;
	x = xcalloc(1, sizeof(*x));
	x->job.run = intake_job_run;
	x->job.done = intake_job_done;
	x->t = t;
	x->now_ms = now_ms;
	atomic_store(&t->intake_queued, true);
	writer_submit(&t->app->writer, &x->job);
}

static void timer_done(struct wjob *j, int rc)
{
	struct timer_job *b = container_of(j, struct timer_job, job);

	(void)rc;
	atomic_store(&b->t->queued, false);
	free(b);
}

/* The pack thread: build with a reader, write the directory. */
static void *pack_run(void *arg)
{
	struct app_ticker *t = arg;
	struct store *st = app_reader_get(t->app);
	struct errbuf e = { 0 };
	struct pack p;
	int rc;

	thread_name("erms-pack");
	rc = app_pack_build(st, keys_current(), t->pack_now_ms, &p, &e);
	app_reader_put(t->app, st);
	if (!rc)
		rc = app_pack_write_dir(&p, t->app->cfg.pack_dir, &e);
	if (!rc) {
		t->pack_version = p.version_id;
		t->pack_built_ms = t->pack_now_ms;
		t->pack_stale_ms = p.stale_ms;
		log_info("emergency pack %s written to %s", p.name,
			 t->app->cfg.pack_dir);
	} else {
		/* Tried again after PACK_RETRY_MS, not every second. */
		t->pack_built_ms = t->pack_now_ms;
		t->pack_stale_ms = t->pack_now_ms + PACK_RETRY_MS;
		log_warn("emergency pack: %s", e.msg);
	}
	pack_release(&p);
	atomic_store(&t->packing, false);
	return NULL;
}

/* Is the pack in cfg.pack_dir behind? A cheap look with a reader. */
static void pack_tick(struct app_ticker *t, int64_t now_ms)
{
	struct store *st;
	int64_t id = 0;
	bool poke;

	if (!t->app->cfg.pack_dir || atomic_load(&t->packing))
		return;
	if (t->pack_joinable) {
		pthread_join(t->pack_thread, NULL);
		t->pack_joinable = false;
	}
	poke = atomic_exchange(&t->app->pack_poke, false);
	st = app_reader_get(t->app);
	if (store_pv_current_id(st, &id))
		id = 0;
	app_reader_put(t->app, st);
	if (!id)
		return;		/* no plan in force: nothing to pack */
	/* Current unless poked, a new version, past its local midnight,
	 * or a clock set back before the build. */
	if (!poke && id == t->pack_version && now_ms < t->pack_stale_ms &&
	    now_ms >= t->pack_built_ms)
		return;
	t->pack_now_ms = now_ms;
	t->pack_version = id;	/* a failed build waits PACK_RETRY_MS too */
	atomic_store(&t->packing, true);
	if (pthread_create(&t->pack_thread, NULL, pack_run, t)) {
		atomic_store(&t->packing, false);
		return;
	}
	t->pack_joinable = true;
}

void app_tick(struct app_ticker *t, int64_t now_ms, bool minutely)
{
	struct store *st;
	struct timer_job *b;
	bool due;

	prune_tick(t, now_ms);
	intake_tick(t, now_ms);
	pack_tick(t, now_ms);
	if (atomic_load(&t->queued))
		return;
	/* A node that does not lead asks for the lock each tick: it takes
	 * over within a tick of the leader's connection ending. */
	due = minutely || !atomic_load(&t->app->leader);
	if (!due) {
		st = app_reader_get(t->app);
		due = app_breaches_due(st, now_ms) ||
		      app_escalation_due(&t->app->plans, st, now_ms) ||
		      app_drill_injects_due(st, now_ms) ||
		      app_reg_due(st, now_ms);
		app_reader_put(t->app, st);
	}
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
	if (t->pack_joinable)
		pthread_join(t->pack_thread, NULL);
	while (atomic_load(&t->queued) || atomic_load(&t->pruning) ||
	       atomic_load(&t->intake_queued))
		nanosleep(&pause, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
}
