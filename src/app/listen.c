/*
 * listen.c - the thread that waits for other nodes' commits (listen.h).
 */
#define LOG_MOD "listen"
#include "app/listen.h"

#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/err.h"
#include "util/log.h"
#include "util/thread.h"

static void *loop(void *arg)
{
	struct listen *l = arg;
	bool warned = false;

	thread_name("erms-listen");
	while (!atomic_load(&l->stop)) {
		int r = store_wait_change(l->st, LISTEN_POLL_MS);

		if (r < 0) {
			/* The connection failed: the store reconnects on
			 * its next call; do not spin meanwhile. */
			struct timespec ts = { 0, 200 * 1000 * 1000 };

			if (!warned)
				log_warn("cannot wait for other nodes' "
					 "commits: %s", erms_strerror(r));
			warned = true;
			nanosleep(&ts, NULL);
		} else {
			warned = false;
		}
		/* Woken (1) or not (0): look, for engines that cannot
		 * signal and for a signal lost with a connection. */
		pthread_mutex_lock(&l->mu);
		if (l->hook && !atomic_load(&l->stop))
			l->hook(l->ctx);
		pthread_mutex_unlock(&l->mu);
	}
	return NULL;
}

int listen_start(struct listen *l, const char *db_url)
{
	struct errbuf e = { 0 };
	int rc;

	memset(l, 0, sizeof(*l));
	rc = store_open(&l->st, db_url, STORE_READONLY, &e);
	if (rc)
		return rc;
	/* Listening starts now, before the first commits it should see
	 * (its answer is of no use yet). */
	store_wait_change(l->st, 0);
	pthread_mutex_init(&l->mu, NULL);
	if (pthread_create(&l->thread, NULL, loop, l)) {
		pthread_mutex_destroy(&l->mu);
		store_close(l->st);
		return ERMS_EIO;
	}
	l->running = true;
	return 0;
}

void listen_set_hook(struct listen *l, void (*fn)(void *ctx), void *ctx)
{
	if (!l->running)
		return;
	pthread_mutex_lock(&l->mu);
	l->hook = fn;
	l->ctx = ctx;
	pthread_mutex_unlock(&l->mu);
}

void listen_stop(struct listen *l)
{
	if (!l->running)
		return;
	atomic_store(&l->stop, true);
	pthread_join(l->thread, NULL);
	pthread_mutex_destroy(&l->mu);
	store_close(l->st);
	l->running = false;
}
