/*
 * listen.h - what other nodes commit, seen by this one.
 *
 * Several nodes may share one database. Each node's writer tells its own
 * server what it committed (writer_set_hook); what the others commit
 * comes through this thread: on a connection of its own it waits for
 * another node's commit (store_wait_change: a server engine signals it,
 * an embedded one only sleeps), or a second at most, and then runs the
 * hook its server set. The hook reads the event table and the
 * revocation epoch, which are the truth; the wake-up only says when.
 */
#ifndef ERMS_APP_LISTEN_H
#define ERMS_APP_LISTEN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct store;

/* How long the thread waits for a signal before it looks anyway. */
#define LISTEN_POLL_MS 1000

struct listen {
	struct store *st;	/* the thread's own connection */
	pthread_t thread;
	pthread_mutex_t mu;	/* the hook: set, cleared, run */
	void (*hook)(void *ctx);
	void *ctx;
	_Atomic bool stop;
	bool running;
};

/* Open l's connection to the database at db_url and start the thread
 * ("erms-listen"). 0 or an ERMS_E* code. */
int listen_start(struct listen *l, const char *db_url);
/* Set (fn) or clear (NULL) the hook; once it returns, an old hook is no
 * longer running and will not run again. */
void listen_set_hook(struct listen *l, void (*fn)(void *ctx), void *ctx);
/* Stop the thread (within LISTEN_POLL_MS) and close its connection. */
void listen_stop(struct listen *l);

#endif
