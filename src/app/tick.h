/*
 * tick.h - the app's own scheduler: the timers of the domain.
 *
 * Once a second the ticker looks (with a reader connection) whether a
 * level's target is breached or a tier of the reporting chain is due;
 * when one is, and once a minute in any case, it queues one write job
 * that records the breaches, tells the tiers due, and (the minutely
 * run) announces supplies' inspections coming due and, near the year's
 * end, drills overdue. At most one such job is queued at a time. The
 * transport's own timers (request deadlines, stream heartbeats) are the
 * HTTP server's business, not this one's.
 *
 * The ticker also keeps the event log to its retention: the events a
 * reconnecting subscriber may still ask for (the last
 * event_retention_days, and at most event_retention_events of them),
 * no more. When the oldest event is past it, a second job deletes the
 * oldest, EVENT_PRUNE_CHUNK at a time, so that it never holds the writer
 * long (while a whole chunk went, again in the writer's next batch, up
 * to EVENT_PRUNE_JOBS times a tick); what is left is always every event
 * after some id (store_event_prune), and a subscriber resuming from
 * before it is told it missed events (docs/api.md).
 *
 * With cfg.pack_dir the ticker also keeps the emergency pack there
 * (app/pack.h): it asks, with a reader, which plan version is in force
 * (one indexed row), and rebuilds the pack on a thread of its own when
 * that differs from the pack's, when 24 hours have passed since the
 * last build (by the app's clock, so the test clock moves it), or when
 * app->pack_poke is set; a failed build is tried again a minute later.
 *
 * Monitoring intake's step (app_intake_tick) is a job of its own, queued
 * when a look with a reader finds a heartbeat missed or alerts waiting
 * for their incident's timeline, so that a failure there holds back no
 * breach or tier.
 */
#ifndef ERMS_APP_TICK_H
#define ERMS_APP_TICK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

#define EVENT_RETENTION_DAYS_DEFAULT 7
/* Events deleted per job (some 2 ms of the writer), and jobs per tick
 * while more are due: up to 2,000 a second. */
#define EVENT_PRUNE_CHUNK 500
#define EVENT_PRUNE_JOBS 4

struct app_ticker {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	_Atomic bool stopping;
	_Atomic bool queued;		/* a timer job is with the writer */
	_Atomic bool pruning;		/* a prune job is with the writer */
	_Atomic bool intake_queued;	/* an intake job is with the writer */
	/* The emergency pack kept in cfg.pack_dir: built on a thread of
	 * its own with a reader, never in the writer's transaction. */
	pthread_t pack_thread;
	bool pack_joinable;		/* pack_thread was started */
	_Atomic bool packing;		/* pack_thread is building */
	int64_t pack_version;		/* the plan version last packed */
	int64_t pack_built_ms;		/* when, by the app's clock; 0: never */
	int64_t pack_stale_ms;		/* rebuilt from then on (nightly) */
	int64_t pack_now_ms;		/* the build's time */
	long ticks;			/* ticks so far (the thread's) */
};

/* Start ticking once a second; t belongs to the caller until
 * app_ticker_stop(). Returns 0 or ERMS_EIO (no thread). */
int app_ticker_start(struct app_ticker *t, struct app *app);

/*
 * Stop the ticks and wait for a queued job to be done (the writer must
 * still run: call this before app_close()).
 */
void app_ticker_stop(struct app_ticker *t);

/*
 * One tick at now_ms (the ticker's thread calls it; so may a test):
 * queue the timer job when something is due or `minutely`, or while this
 * node does not lead (the job asks for the scheduler's lock first, and
 * does nothing without it). Nothing when a job is still queued.
 */
void app_tick(struct app_ticker *t, int64_t now_ms, bool minutely);

#endif
