/*
 * outbox.c - waking the delivery worker after a commit (outbox.h).
 */
#include "app/outbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

static atomic_bool queued;
static pthread_mutex_t waker_mu = PTHREAD_MUTEX_INITIALIZER;
static void (*waker)(void *ctx);
static void *waker_ctx;

void outbox_set_waker(void (*fn)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&waker_mu);
	waker = fn;
	waker_ctx = ctx;
	pthread_mutex_unlock(&waker_mu);
}

void outbox_queued(void)
{
	atomic_store(&queued, true);
}

void outbox_after_commit(void)
{
	if (!atomic_exchange(&queued, false))
		return;
	pthread_mutex_lock(&waker_mu);
	if (waker)
		waker(waker_ctx);
	pthread_mutex_unlock(&waker_mu);
}
