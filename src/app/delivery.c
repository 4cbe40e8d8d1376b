/*
 * delivery.c - the delivery thread: the outbox read, sent on each
 * message's channel (notify/channel.h, channel_send: the kinds are
 * notify's), and the outcomes recorded.
 */
#define LOG_MOD "notify"
#include "app/delivery.h"

#include <curl/curl.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/ack.h"
#include "app/app.h"
#include "app/keys.h"
#include "app/notify.h"
#include "app/outbox.h"
#include "notify/channel.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/thread.h"
#include "util/xalloc.h"

#define BATCH 50
#define POLL_MS 250
#define BACKOFF_MAX_MS (10 * 60 * 1000LL)
/*
 * A pass claims its messages for a lease (LEASE_MS, or
 * --notify-lease-ms): no other node sends them meanwhile, and a node
 * that dies holding them gives them back when the lease runs out (sent
 * again with the same idempotency key, which is the stored message's
 * own, made when it was queued). The longest single send is an e-mail's
 * 20 s (a webhook's 10 s, notify/): after its first, a pass begins a
 * send only while SEND_MAX_MS (or half a shorter lease) of the lease is
 * left, and what it did not reach is due again at once.
 */
#define LEASE_MS (120 * 1000LL)
#define SEND_MAX_MS (30 * 1000LL)

struct item {
	struct notification n;
	enum delivery_outcome outcome;	/* DELIVERY_MERGED: in a digest
					 * that another item carried */
	bool unsent;			/* the lease ran short: due again */
	int64_t retry_after_ms;
	char error[256];
};

struct batch {
	struct item *items;
	int n, cap;
};

static int collect(void *ctx, const struct notification *n)
{
	struct batch *b = ctx;
	struct item *it;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->items = xrealloc(b->items, (size_t)b->cap * sizeof(*it));
	}
	it = &b->items[b->n++];
	memset(it, 0, sizeof(*it));
	it->n = *n;
	it->n.recipient = xstrdup(n->recipient ? n->recipient : "");
	it->n.subject = xstrdup(n->subject ? n->subject : "");
	it->n.text = xstrdup(n->text ? n->text : "");
	it->n.markdown = xstrdup(n->markdown ? n->markdown : "");
	it->n.link = xstrdup(n->link ? n->link : "");
	it->n.ack_link = notify_ack_link(n);
	it->n.last_error = xstrdup(n->last_error ? n->last_error : "");
	it->n.mentions = xstrdup(n->mentions ? n->mentions : "[]");
	return 0;
}

/*
 * The name erms gives in EHLO: the host of --public-url when it is a
 * name, else the machine's fully qualified name, else an address
 * literal. libcurl takes it from the SMTP URL's path.
 */
static void ehlo_name(char *out, size_t n)
{
	const char *u = notify_base_url(), *h = u ? strstr(u, "://") : NULL;
	size_t len = h ? strcspn(h + 3, ":/?#") : 0;
	struct addrinfo hints = { .ai_flags = AI_CANONNAME }, *ai = NULL;
	char host[256];

	snprintf(out, n, "[127.0.0.1]");
	if (h && len && len < n && h[3] != '[' &&
	    strspn(h + 3, "0123456789.") < len) {
		snprintf(out, n, "%.*s", (int)len, h + 3);
		return;
	}
	if (gethostname(host, sizeof(host)))
		return;
	host[sizeof(host) - 1] = '\0';
	if (!getaddrinfo(host, NULL, &hints, &ai) && ai && ai->ai_canonname &&
	    strchr(ai->ai_canonname, '.'))
		snprintf(out, n, "%s", ai->ai_canonname);
	else if (strchr(host, '.'))
		snprintf(out, n, "%s", host);
	if (ai)
		freeaddrinfo(ai);
}

/* The message of n; m->event (what a webhook receives) and m->mentions
 * are new: the caller releases them (message_done). */
static void to_message(const struct notification *n, struct message *m)
{
	*m = (struct message){
		.subject = n->subject, .text = n->text,
		.markdown = n->markdown, .link = n->link,
		.ack_link = n->ack_link, .idempotency_key = n->idem_key,
		.lang = n->locale,
		.event = json_pack("{s:s, s:I, s:i, s:s, s:s}", "type",
				   n->event, "incident_id",
				   (json_int_t)n->incident_id, "tier", n->tier,
				   "recipient", n->recipient, "link", n->link),
		.mentions = json_loads(n->mentions ? n->mentions : "[]", 0,
				       NULL),
	};
}

static void message_done(struct message *m)
{
	json_decref((json_t *)m->event);
	json_decref((json_t *)m->mentions);
}

static struct bucket *bucket_for(struct delivery *w,
				 const struct channel *c,
				 const struct bucket_rule *r, int64_t now)
{
	int free_slot = -1;

	for (int i = 0; i < WORKER_BUCKETS; i++) {
		if (w->buckets[i].channel_id == c->id)
			return &w->buckets[i].b;
		if (!w->buckets[i].channel_id && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		free_slot = (int)(c->id % WORKER_BUCKETS);
	w->buckets[free_slot].channel_id = c->id;
	bucket_init(&w->buckets[free_slot].b, r, now);
	return &w->buckets[free_slot].b;
}

/* The transport of w's thread (its curl handle). */
static struct channel_transport transport(struct delivery *w, void *curl)
{
	return (struct channel_transport){
		.curl = curl, .ehlo = w->ehlo,
		.allow_internal = w->app->cfg.allow_private_webhooks,
		.html = plan_markdown_html,
	};
}

/* Send the due items of one channel as one digest (more are due than its
 * bucket has tokens for): the first item carries it, the others are
 * merged when it went out. */
static void send_digest(struct delivery *w, struct item *items, int k,
			const struct channel *c, const json_t *cfg,
			int64_t now)
{
	struct message *msgs = xcalloc((size_t)k, sizeof(*msgs));
	struct channel_transport t = transport(w, w->curl);
	struct digest d;
	struct verdict v;

	for (int i = 0; i < k; i++)
		to_message(&items[i].n, &msgs[i]);
	digest_build(&d, msgs, k, items[0].n.locale);
	channel_send(c->kind, &t, cfg, &d.msg, NULL, now, &v);
	for (int i = 0; i < k; i++) {
		items[i].outcome = v.outcome == DELIVERY_SENT && i
				   ? DELIVERY_MERGED : v.outcome;
		items[i].retry_after_ms = v.retry_ms;
		snprintf(items[i].error, sizeof(items[i].error), "%s",
			 v.error);
	}
	digest_release(&d);
	for (int i = 0; i < k; i++)
		message_done(&msgs[i]);
	free(msgs);
}

/* Too little of the pass's lease is left to begin another send. */
static bool lease_short(struct delivery *w)
{
	if (!w->pass_sent) {
		w->pass_sent = true;	/* the first send: always begun */
		return false;
	}
	return clock_real_ms() + w->send_room_ms > w->lease_until_ms;
}

/* Send the due items of one channel one by one, while its bucket has
 * tokens. */
static void send_each(struct delivery *w, struct item *items, int k,
		      const struct channel *c, const json_t *cfg,
		      struct bucket *b, const struct bucket_rule *rule,
		      int64_t now)
{
	struct channel_transport t = transport(w, w->curl);

	for (int i = 0; i < k; i++) {
		struct message m;
		struct verdict v;

		if (lease_short(w)) {
			items[i].unsent = true;
			continue;
		}
		if (!bucket_take(b, rule, now)) {
			items[i].outcome = DELIVERY_THROTTLED;
			items[i].retry_after_ms = bucket_wait_ms(b, rule, now);
			continue;
		}
		to_message(&items[i].n, &m);
		channel_send(c->kind, &t, cfg, &m, items[i].n.recipient, now,
			     &v);
		items[i].outcome = v.outcome;
		items[i].retry_after_ms = v.retry_ms;
		snprintf(items[i].error, sizeof(items[i].error), "%s",
			 v.error);
		message_done(&m);
	}
}

/* Every item of items[0..k) gets outcome o and error `why`. */
static void all_items(struct item *items, int k, enum delivery_outcome o,
		      int64_t retry_ms, const char *why)
{
	for (int i = 0; i < k; i++) {
		items[i].outcome = o;
		items[i].retry_after_ms = retry_ms;
		snprintf(items[i].error, sizeof(items[i].error), "%s", why);
	}
}

/* Send the due items of one channel (items[0..k) share it). */
static void send_channel(struct delivery *w, struct item *items, int k,
			 const struct channel *c, int64_t now)
{
	json_t *cfg = json_loads(c->config ? c->config : "{}", 0, NULL);
	struct bucket_rule rule = channel_default_rate(c->kind);
	bool merge = !channel_per_recipient(c->kind) && k > 1;
	struct bucket *b;

	if (c->rate_burst > 0 && c->rate_period_ms > 0)
		rule = (struct bucket_rule){ c->rate_burst, c->rate_period_ms };
	b = bucket_for(w, c, &rule, now);
	if (lease_short(w)) {
		for (int i = 0; i < k; i++)
			items[i].unsent = true;
		json_decref(cfg);
		return;
	}
	if (!c->enabled || keys_open_config(cfg)) {
		/* Secrets are opened here, where they are sent, only. */
		all_items(items, k, DELIVERY_RETRY, 0,
			  c->enabled ? "the channel's secrets do not open "
				       "with this key file"
				     : "the channel is disabled");
	} else if (merge && !bucket_has(b, &rule, now)) {
		/* More due than the bucket allows, and no token: wait. */
		all_items(items, k, DELIVERY_THROTTLED,
			  bucket_wait_ms(b, &rule, now), "");
	} else if (merge && b->tokens < k) {
		/* More due than tokens: one digest for them all. */
		bucket_take(b, &rule, now);
		send_digest(w, items, k, c, cfg, now);
	} else {
		send_each(w, items, k, c, cfg, b, &rule, now);
	}
	for (int i = 0; i < k; i++)
		notify_count(c->id, c->name, channel_kind_name(c->kind),
			     delivery_outcome_name(items[i].outcome));
	json_decref(cfg);
}

struct record {
	struct delivery *w;
	struct batch *b;
	int64_t now;
};

/* On the writer: each outcome into its row. */
static int record(struct store *st, void *ctx)
{
	struct record *r = ctx;
	int rc = 0;

	for (int i = 0; !rc && i < r->b->n; i++) {
		struct item *it = &r->b->items[i];
		struct notification *n = &it->n;
		int64_t delay;

		if (it->unsent) {
			/* Not tried: due again, for any node. */
			n->next_ms = r->now;
			rc = store_notification_update(st, n);
			continue;
		}
		free(n->last_error);
		n->last_error = xstrdup(it->error);
		switch (it->outcome) {
		case DELIVERY_SENT:
		case DELIVERY_MERGED:
			n->state = it->outcome == DELIVERY_MERGED ? NS_MERGED
								  : NS_SENT;
			n->attempts++;
			n->sent_ms = r->now;
			break;
		case DELIVERY_THROTTLED:	/* not the receiver's failure */
			n->next_ms = r->now + (it->retry_after_ms > 0
					       ? it->retry_after_ms : 1000);
			break;
		case DELIVERY_FAILED:	/* the service said it never will */
			n->attempts++;
			n->state = NS_FAILED;
			log_warn("message failed id=%lld error=\"%s\"",
				 (long long)n->id, it->error);
			break;
		case DELIVERY_RETRY:
			n->attempts++;
			if (n->attempts >= r->w->max_attempts) {
				n->state = NS_FAILED;
				log_warn("message failed id=%lld error=\"%s\"",
					 (long long)n->id, it->error);
				break;
			}
			delay = r->w->backoff_ms << (n->attempts - 1);
			if (delay > BACKOFF_MAX_MS || delay <= 0)
				delay = BACKOFF_MAX_MS;
			delay += randombytes_uniform(
				(uint32_t)(r->w->backoff_ms > 0
					   ? r->w->backoff_ms : 1));
			n->next_ms = r->now + delay;
			if (it->retry_after_ms > delay)
				n->next_ms = r->now + it->retry_after_ms;
			break;
		}
		rc = store_notification_update(st, n);
	}
	return rc;
}

static int by_channel(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->n.channel_id != y->n.channel_id)
		return x->n.channel_id < y->n.channel_id ? -1 : 1;
	return x->n.id < y->n.id ? -1 : x->n.id > y->n.id;
}

struct claim {
	struct batch *b;
	int64_t now, until;
};

/* On the writer: this node's messages of the pass, leased. */
static int claim(struct store *st, void *ctx)
{
	struct claim *c = ctx;

	return store_notification_claim(st, c->now, c->until, BATCH, collect,
					c->b);
}

/* Give back what a failed claim collected (its transaction rolled
 * back: the rows are not leased). */
static void batch_clear(struct batch *b)
{
	for (int i = 0; i < b->n; i++)
		notification_release(&b->items[i].n);
	b->n = 0;
}

static int seen(void *ctx, const struct notification *n)
{
	(void)n;
	*(bool *)ctx = true;
	return 0;
}

/* Is a message due at now? A look on a reader, so that an idle node
 * does not write a claim four times a second. */
static bool any_due(struct delivery *w, int64_t now)
{
	struct store *st = app_reader_get(w->app);
	bool due = false;

	if (store_notification_due(st, now, 1, seen, &due))
		due = true;	/* let the claim tell */
	app_reader_put(w->app, st);
	return due;
}

/* One pass: returns the number of messages handled. */
static int pass(struct delivery *w)
{
	struct batch b = { 0 };
	int64_t now = clock_real_ms();	/* delivery runs on real time */
	int64_t lease = w->app->cfg.notify_lease_ms > 0
			? w->app->cfg.notify_lease_ms : LEASE_MS;
	struct claim cl = { &b, now, now + lease };
	int rc;
	struct store *st;

	if (!any_due(w, now))
		return 0;
	rc = writer_call(&w->app->writer, claim, &cl);
	if (rc) {
		/* Rolled back: nothing was claimed; the next pass tries. */
		log_error("cannot claim messages: %s", erms_strerror(rc));
		batch_clear(&b);
	}
	w->lease_until_ms = cl.until;
	w->pass_sent = false;
	/* A short lease (tests) still lets a pass send more than one. */
	w->send_room_ms = lease / 2 < SEND_MAX_MS ? lease / 2 : SEND_MAX_MS;
	st = app_reader_get(w->app);
	if (!rc && b.n) {
		qsort(b.items, (size_t)b.n, sizeof(*b.items), by_channel);
		for (int i = 0; i < b.n;) {
			struct channel c = { 0 };
			int j = i;

			while (j < b.n && b.items[j].n.channel_id ==
						  b.items[i].n.channel_id)
				j++;
			if (store_channel_get(st, b.items[i].n.channel_id, &c)) {
				for (int k = i; k < j; k++)
					b.items[k].outcome = DELIVERY_RETRY;
			} else {
				app_reader_put(w->app, st);
				send_channel(w, &b.items[i], j - i, &c, now);
				st = app_reader_get(w->app);
			}
			channel_release(&c);
			i = j;
		}
	}
	app_reader_put(w->app, st);
	if (!rc && b.n) {
		struct record r = { w, &b, clock_real_ms() };

		rc = writer_call(&w->app->writer, record, &r);
		if (rc)
			log_error("cannot record deliveries: %s",
				  erms_strerror(rc));
	}
	for (int i = 0; i < b.n; i++)
		notification_release(&b.items[i].n);
	free(b.items);
	return b.n;
}

static void *loop(void *arg)
{
	struct delivery *w = arg;

	thread_name("erms-deliver");
	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct timespec ts;
		int n;

		pthread_mutex_unlock(&w->mu);
		n = pass(w);
		pthread_mutex_lock(&w->mu);
		if (n == BATCH || w->stop || w->kicked) {
			w->kicked = false;
			continue;	/* more due, new ones, or stopping */
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += POLL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cv, &w->mu, &ts);
		w->kicked = false;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* outbox_set_waker's: a commit queued messages. */
static void kick(void *ctx)
{
	struct delivery *w = ctx;

	pthread_mutex_lock(&w->mu);
	w->kicked = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/*
 * One test message on channel c, now, on a handle of its own (the
 * worker's thread keeps its own): the administrator sees the service's
 * verdict at once. A kind that sends to each recipient's address
 * (e-mail) sends to the administrator's own.
 */
static int test_send(void *ctx, const struct channel *c, const char *lang,
		     const char *to, char outcome[16], char code[24],
		     char error[256])
{
	struct delivery *w = ctx;
	bool zh = !lang || strcmp(lang, "en");
	json_t *cfg = json_loads(c->config ? c->config : "{}", 0, NULL);
	char key[TOKEN_LEN], *link = xasprintf("%s/", notify_base_url());
	struct verdict v = { .outcome = DELIVERY_FAILED };
	struct channel_transport t;
	struct message m;
	CURL *h = NULL;

	token_new("erms-test-", key);
	m = (struct message){
		.subject = zh ? "[测试] erms 通知通道测试"
			      : "[TEST] erms channel test",
		.text = zh ? "这是一条测试消息：收到即表示此通道可用。"
			   : "A test message: if it arrived, this channel works.",
		.link = link, .idempotency_key = key,
		.lang = zh ? "zh-CN" : "en",
	};
	if (!cfg || keys_open_config(cfg)) {
		snprintf(v.error, sizeof(v.error), "the channel's secrets do "
			 "not open with this key file");
	} else if (!(h = curl_easy_init())) {
		json_decref(cfg);
		free(link);
		return ERMS_EIO;
	} else if (channel_per_recipient(c->kind) && !(to && *to)) {
		snprintf(v.error, sizeof(v.error), "%s",
			 channel_no_address(c->kind));
	} else {
		t = transport(w, h);
		channel_send(c->kind, &t, cfg, &m, to, clock_real_ms(), &v);
	}
	if (h)
		curl_easy_cleanup(h);
	snprintf(outcome, 16, "%s", delivery_outcome_name(v.outcome));
	snprintf(code, 24, "%s", v.code);
	snprintf(error, 256, "%s", v.error);
	notify_count(c->id, c->name, channel_kind_name(c->kind), outcome);
	json_decref(cfg);
	free(link);
	return 0;
}

int delivery_start(struct delivery *w, struct app *app, int max_attempts,
		   int64_t backoff_ms)
{
	memset(w, 0, sizeof(*w));
	w->app = app;
	w->max_attempts = max_attempts > 0 ? max_attempts : 8;
	w->backoff_ms = backoff_ms > 0 ? backoff_ms : 2000;
	/* Once: it may ask DNS for the machine's name. */
	ehlo_name(w->ehlo, sizeof(w->ehlo));
	w->curl = curl_easy_init();
	if (!w->curl)
		return ERMS_EIO;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, loop, w)) {
		curl_easy_cleanup(w->curl);
		return ERMS_EIO;
	}
	w->running = true;
	app->channel_test = test_send;
	app->channel_test_ctx = w;
	outbox_set_waker(kick, w);
	return 0;
}

void delivery_stop(struct delivery *w)
{
	if (!w->running)
		return;
	w->app->channel_test = NULL;
	outbox_set_waker(NULL, NULL);
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	curl_easy_cleanup(w->curl);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	w->running = false;
}
