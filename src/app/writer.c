/*
 * writer.c - the group-commit writer thread.
 */
#define LOG_MOD "writer"
#include "app/writer.h"

#include "store/store.h"
#include "util/err.h"
#include "util/log.h"
#include "util/thread.h"

static void run_batch(struct writer *w, struct wjob *batch,
		      void (*hook)(void *, struct store *), void *hook_ctx)
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
	} else {
		if (w->app_commit)
			w->app_commit(w->st);
		if (hook)
			hook(hook_ctx, w->st);
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

	thread_name("erms-writer");
	for (;;) {
		struct wjob *batch, *j, **tail;
		void (*hook)(void *, struct store *);
		void *hook_ctx;
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
		hook = w->after_commit;
		hook_ctx = w->after_ctx;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch, hook, hook_ctx);
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
	w->after_commit = NULL;
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

/* A job whose submitter waits for it. */
struct call {
	struct wjob job;
	int (*fn)(struct store *st, void *ctx);
	void *ctx;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	int rc;
};

static int call_run(struct wjob *j, struct store *st)
{
	struct call *c = (struct call *)j;

	return c->fn ? c->fn(st, c->ctx) : 0;
}

static void call_done(struct wjob *j, int rc)
{
	struct call *c = (struct call *)j;

	pthread_mutex_lock(&c->mu);
	c->rc = rc;
	c->done = true;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

int writer_call(struct writer *w, int (*fn)(struct store *st, void *ctx),
		void *ctx)
{
	struct call c = { .job = { .run = call_run, .done = call_done },
			  .fn = fn, .ctx = ctx };

	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.cv, NULL);
	writer_submit(w, &c.job);
	pthread_mutex_lock(&c.mu);
	while (!c.done)
		pthread_cond_wait(&c.cv, &c.mu);
	pthread_mutex_unlock(&c.mu);
	pthread_mutex_destroy(&c.mu);
	pthread_cond_destroy(&c.cv);
	return c.rc;
}

void writer_set_hook(struct writer *w,
		     void (*fn)(void *ctx, struct store *st), void *ctx)
{
	pthread_mutex_lock(&w->mu);
	w->after_commit = fn;
	w->after_ctx = ctx;
	pthread_mutex_unlock(&w->mu);
	/* A batch taken before the change may still call the old hook:
	 * wait for one taken after it. */
	if (w->running)
		writer_call(w, NULL, NULL);
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
