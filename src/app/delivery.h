/*
 * delivery.h - delivering the outbox.
 *
 * One thread: read the messages due (a reader), send them (libcurl: HTTP
 * for chat robots and webhooks, SMTP for e-mail), and record each
 * outcome through the group-commit writer. Delivery is at least once:
 * a crash between sending and recording sends again after the restart,
 * with the same idempotency key (the Idempotency-Key header, the e-mail's
 * Message-ID), so a receiver can drop the repeat. Failures are retried
 * with exponential backoff and jitter; after max_attempts a message is
 * `failed` (an administrator may retry it). Each channel has a token
 * bucket at its service's documented rate; when a channel has more due
 * than tokens, they go out merged into one digest instead of waiting
 * (not for kinds that send to each recipient's own address, e-mail).
 *
 * This is the queue side; how a message is shaped and sent on each kind
 * of channel is notify's (notify/channel.h, channel_send).
 */
#ifndef ERMS_APP_DELIVERY_H
#define ERMS_APP_DELIVERY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ratelimit.h"

struct app;

#define WORKER_BUCKETS 64

struct delivery {
	struct app *app;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	bool running;
	bool kicked;			/* messages queued since the pass began */
	int max_attempts;
	int64_t backoff_ms;		/* the first retry's delay */
	void *curl;			/* one easy handle, reused */
	char ehlo[256];			/* the name SMTP's EHLO gives */
	int64_t lease_until_ms;		/* of the pass's claimed messages */
	bool pass_sent;			/* the pass began a send */
	int64_t send_room_ms;		/* lease left to begin another */
	struct {
		int64_t channel_id;
		struct bucket b;
	} buckets[WORKER_BUCKETS];
};

/*
 * Start the delivery thread of app (max_attempts <= 0: 8; backoff_ms
 * <= 0: 2000) and offer app->channel_test. 0 or ERMS_EIO.
 */
int delivery_start(struct delivery *w, struct app *app, int max_attempts,
		   int64_t backoff_ms);
/* Finish the message in hand, then stop; harmless when not started. */
void delivery_stop(struct delivery *w);

#endif
