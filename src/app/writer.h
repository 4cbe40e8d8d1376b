/*
 * writer.h - group commit: one writer thread, one transaction and one
 * fsync per batch of writes.
 *
 * Any thread submits a job; the writer takes every job queued so far,
 * opens one transaction, runs each job inside its own savepoint (a job
 * that fails is rolled back alone), commits once, and only then calls each
 * job's done() with the outcome. So an answer that says "written" is never
 * given before the write is durable, and N concurrent writers cost one
 * fsync, not N.
 *
 * With max_batch = 1 the writer degrades to one commit per job: the plain
 * "mutex around a commit" design, kept as `--commit single` for the bench.
 */
#ifndef ERMS_APP_WRITER_H
#define ERMS_APP_WRITER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct store;

struct wjob {
	struct wjob *next;
	/* Runs on the writer thread inside a savepoint; non-zero rolls the
	 * job back. */
	int (*run)(struct wjob *j, struct store *st);
	/* Called on the writer thread after the commit: rc is run()'s
	 * result, or ERMS_ESTORE when the batch could not be committed. */
	void (*done)(struct wjob *j, int rc);
};

struct writer {
	struct store *st;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wjob *head, **tail;
	int max_batch;
	/* Called on the writer thread after each successful commit; set
	 * with writer_set_hook(). */
	void (*after_commit)(void *ctx, struct store *st);
	void *after_ctx;
	/* The application's own hook (the audit anchor), called after
	 * each successful commit before after_commit; set it before
	 * writer_start(), which leaves it as it is. */
	void (*app_commit)(struct store *st);
	bool stop;
	bool running;
	_Atomic uint64_t batches;
	_Atomic uint64_t jobs;
};

/* Start the thread; the writer borrows st until writer_stop(). */
int writer_start(struct writer *w, struct store *st, int max_batch);
void writer_submit(struct writer *w, struct wjob *j);
/*
 * Set (or clear, with fn NULL) the after-commit hook. Returns once no
 * batch can still call the old one, so its ctx may then be freed.
 */
void writer_set_hook(struct writer *w,
		     void (*fn)(void *ctx, struct store *st), void *ctx);
/*
 * Run fn(store, ctx) in the next batch (inside a savepoint: non-zero
 * rolls it back) and wait until its batch is committed. Returns fn's
 * result, or ERMS_ESTORE when the batch could not be committed. For
 * threads of the server that write (the notification worker).
 */
int writer_call(struct writer *w, int (*fn)(struct store *st, void *ctx),
		void *ctx);
/* Run every queued job, then join the thread. */
void writer_stop(struct writer *w);

#endif
