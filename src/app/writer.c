/*
 * writer.c - the group-commit writer thread.
 */
#define LOG_MOD "writer"
#include "app/writer.h"

#include "store/store.h"
#include "util/err.h"
#include "util/log.h"

static void run_batch(struct writer *w, struct wjob *batch)
{
	struct wjob *j, *next;
	int rc, n = 0;
	int results[1024];

	rc = store_begin(w->st);
	for (j = batch; j; j = j->next, n++) {
		int r = rc;

		if (!r)
			r = store_savepoint(w->st);
		if (!r) {
			r = j->run(j, w->st);
			if (r) {
				if (store_rollback_to(w->st))
					rc = ERMS_ESTORE;
			} else if (store_release(w->st)) {
				rc = ERMS_ESTORE;
			}
		}
		results[n] = r;
	}
	if (!rc)
		rc = store_commit(w->st);
	if (rc) {
		log_error("batch of %d not committed: %s", n,
			  erms_strerror(rc));
		store_rollback(w->st);
	}
	atomic_fetch_add(&w->batches, 1);
	atomic_fetch_add(&w->jobs, (uint64_t)n);
	n = 0;
	for (j = batch; j; j = next, n++) {
		next = j->next;	/* done() may free j */
		j->done(j, rc ? ERMS_ESTORE : results[n]);
	}
}

static void *loop(void *arg)
{
	struct writer *w = arg;

	for (;;) {
		struct wjob *batch, *j, **tail;
		int n = 0;

		pthread_mutex_lock(&w->mu);
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->head) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		/* Take up to max_batch jobs off the front of the queue. */
		batch = w->head;
		for (tail = &w->head, j = w->head; j && n < w->max_batch;
		     j = j->next, n++)
			tail = &j->next;
		w->head = *tail;
		*tail = NULL;
		if (!w->head)
			w->tail = &w->head;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch);
	}
	return NULL;
}

int writer_start(struct writer *w, struct store *st, int max_batch)
{
	w->st = st;
	w->head = NULL;
	w->tail = &w->head;
	w->max_batch = max_batch < 1 ? 1 : max_batch > 1024 ? 1024 : max_batch;
	w->stop = false;
	atomic_store(&w->batches, 0);
	atomic_store(&w->jobs, 0);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, loop, w))
		return ERMS_EIO;
	w->running = true;
	return 0;
}

void writer_submit(struct writer *w, struct wjob *j)
{
	j->next = NULL;
	pthread_mutex_lock(&w->mu);
	*w->tail = j;
	w->tail = &j->next;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void writer_stop(struct writer *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	w->running = false;
}
