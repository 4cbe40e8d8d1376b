/*
 * worker.c - the delivery thread.
 */
#define LOG_MOD "notify"
#include "notify/worker.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/keys.h"
#include "app/notify.h"
#include "notify/channel.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/netaddr.h"
#include "util/xalloc.h"

#define BATCH 50
#define POLL_MS 250
#define BACKOFF_MAX_MS (10 * 60 * 1000LL)

/* What became of a due message: the service's verdict, or merged into a
 * digest that another item carried. */
enum outcome {
	OUT_SENT = DELIVERY_SENT,
	OUT_RETRY = DELIVERY_RETRY,
	OUT_THROTTLED = DELIVERY_THROTTLED,
	OUT_FAILED = DELIVERY_FAILED,
	OUT_MERGED,
};

static const char *outcome_name(enum outcome o)
{
	return o == OUT_MERGED ? "merged"
			       : delivery_outcome_name((enum delivery_outcome)o);
}

struct item {
	struct notification n;
	enum outcome outcome;
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
	return 0;
}

static size_t keep_head(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t len = size * n;

	if (b->len < 2048)
		buf_add(b, p, len < 2048 - b->len ? len : 2048 - b->len);
	return len;
}

/* Where a delivery may connect: checked on the address DNS gave, so a
 * name that resolves inside (or rebinds to) the organisation is caught
 * too. */
struct dest {
	bool allow_internal;
	bool refused;
	char addr[INET6_ADDRSTRLEN];
};

static curl_socket_t open_socket(void *ctx, curlsocktype purpose,
				 struct curl_sockaddr *a)
{
	struct dest *d = ctx;
	const void *in = NULL;

	(void)purpose;
	if (a->family == AF_INET)
		in = &((const struct sockaddr_in *)&a->addr)->sin_addr;
	else if (a->family == AF_INET6)
		in = &((const struct sockaddr_in6 *)&a->addr)->sin6_addr;
	if (!in || !inet_ntop(a->family, in, d->addr, sizeof(d->addr)))
		return CURL_SOCKET_BAD;
	if (!d->allow_internal && addr_is_internal(d->addr)) {
		d->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/*
 * POST a shaped request and read the service's answer as its vendor
 * documents it (channel_verdict): a robot that answers HTTP 200 with an
 * error code has not delivered. vcode (NULL: not wanted) gets the
 * vendor's code, "" when there is none.
 */
static enum outcome post(struct notify_worker *w, CURL *h,
			 enum channel_kind kind, const struct http_request *rq,
			 char *error, size_t errlen, int64_t *retry_ms,
			 char vcode[24])
{
	struct curl_slist *hdr = NULL;
	struct buf body = BUF_INIT;
	struct verdict v;
	struct dest dest = {
		.allow_internal = w->app->cfg.allow_private_webhooks };
	long code = 0;
	curl_off_t after = 0;
	CURLcode rc;

	curl_easy_reset(h);
	for (int i = 0; rq->headers[i]; i++)
		hdr = curl_slist_append(hdr, rq->headers[i]);
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_head);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &dest);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (vcode)
		vcode[0] = '\0';
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &after);
	curl_slist_free_all(hdr);
	if (dest.refused) {
		snprintf(error, errlen, "refused to connect to %s: an internal "
			 "address (--allow-private-webhooks allows it)",
			 dest.addr);
		buf_release(&body);
		return OUT_FAILED;
	}
	if (rc != CURLE_OK) {
		snprintf(error, errlen, "%s", curl_easy_strerror(rc));
		*retry_ms = 0;
		buf_release(&body);
		return OUT_RETRY;
	}
	channel_verdict(kind, code, body.data, body.len,
			after > 0 ? (int64_t)after * 1000 : 0, &v);
	buf_release(&body);
	snprintf(error, errlen, "%s", v.error);
	if (vcode)
		snprintf(vcode, 24, "%s", v.code);
	*retry_ms = v.retry_ms;
	return (enum outcome)v.outcome;
}

struct mail {
	const char *p;
	size_t left;
};

static size_t read_mail(char *dst, size_t size, size_t n, void *ud)
{
	struct mail *m = ud;
	size_t len = size * n < m->left ? size * n : m->left;

	memcpy(dst, m->p, len);
	m->p += len;
	m->left -= len;
	return len;
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

/*
 * Send an e-mail through the channel's SMTP server. The envelope (MAIL
 * FROM, RCPT TO) takes the bare addresses, the headers keep the display
 * names. An SMTP 5xx answer is permanent, 4xx and transport errors are
 * temporary.
 */
static enum outcome smtp(CURL *h, const char *ehlo, const json_t *cfg,
			 const struct message *msg, const char *to,
			 char *error, size_t errlen)
{
	const char *host = json_string_value(json_object_get(cfg, "host"));
	const char *tls = json_string_value(json_object_get(cfg, "tls"));
	const char *from = json_string_value(json_object_get(cfg, "from"));
	const char *user = json_string_value(json_object_get(cfg, "user"));
	const char *pass = json_string_value(json_object_get(cfg, "password"));
	json_int_t port = json_integer_value(json_object_get(cfg, "port"));
	char name[NAME_MAX_ + 1], faddr[EMAIL_MAX + 1], taddr[EMAIL_MAX + 1];
	struct buf md = BUF_INIT;
	struct curl_slist *rcpt = NULL;
	char *html, *mail, *url, *mfrom, *mto;
	struct mail m;
	long code = 0;
	CURLcode rc;

	if (!host || !from ||
	    !email_address_parse(from, name, sizeof(name), faddr, sizeof(faddr))) {
		snprintf(error, errlen, "the e-mail channel needs a host and "
			 "a from address");
		return OUT_FAILED;
	}
	if (!email_address_parse(to, name, sizeof(name), taddr, sizeof(taddr))) {
		snprintf(error, errlen, "'%s' is not an e-mail address", to);
		return OUT_FAILED;
	}
	buf_addf(&md, "%s\n\n[%s](%s)\n", msg->markdown, msg->lang &&
		 !strcmp(msg->lang, "en") ? "Acknowledge" : "确认收到",
		 msg->ack_link);
	html = plan_markdown_html(md.data, md.len);
	mail = email_message(from, to, msg, html, clock_real_ms());
	buf_release(&md);
	free(html);
	if (!mail) {
		snprintf(error, errlen, "cannot build the e-mail to '%s'", to);
		return OUT_FAILED;
	}
	url = xasprintf("%s://%s:%lld/%s", tls && !strcmp(tls, "tls")
					    ? "smtps" : "smtp",
			host, port ? (long long)port : 25LL, ehlo);
	mfrom = xasprintf("<%s>", faddr);
	mto = xasprintf("<%s>", taddr);
	rcpt = curl_slist_append(rcpt, mto);
	m = (struct mail){ mail, strlen(mail) };
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mail);
	curl_easy_setopt(h, CURLOPT_READDATA, &m);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
	if (tls && !strcmp(tls, "starttls"))
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (user)
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
	if (pass)
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK && code)
		snprintf(error, errlen, "SMTP %ld: %s", code,
			 curl_easy_strerror(rc));
	else if (rc != CURLE_OK)
		snprintf(error, errlen, "SMTP: %s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	free(url);
	free(mfrom);
	free(mto);
	free(mail);
	if (rc == CURLE_OK)
		return OUT_SENT;
	return code >= 500 || rc == CURLE_LOGIN_DENIED ? OUT_FAILED : OUT_RETRY;
}

/* The message of n; m->event (what a webhook receives) is new: the
 * caller decrefs it. */
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
	};
}

static struct bucket *bucket_for(struct notify_worker *w,
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

/* Send the due items of one channel (items[from..to) share it). */
static void send_channel(struct notify_worker *w, struct item *items, int k,
			 const struct channel *c, int64_t now)
{
	json_t *cfg = json_loads(c->config ? c->config : "{}", 0, NULL);
	struct bucket_rule rule = channel_default_rate(c->kind);
	struct bucket *b;
	struct errbuf err = { 0 };

	if (c->rate_burst > 0 && c->rate_period_ms > 0)
		rule = (struct bucket_rule){ c->rate_burst, c->rate_period_ms };
	b = bucket_for(w, c, &rule, now);
	if (!c->enabled || keys_open_config(cfg)) {
		/* Secrets are opened here, where they are sent, only. */
		for (int i = 0; i < k; i++) {
			items[i].outcome = OUT_RETRY;
			snprintf(items[i].error, sizeof(items[i].error), "%s",
				 c->enabled ? "the channel's secrets do not "
					      "open with this key file"
					    : "the channel is disabled");
		}
		goto out;
	}
	/* More due than the bucket allows: one digest for them all. */
	if (c->kind != CH_EMAIL && k > 1 && !bucket_has(b, &rule, now)) {
		for (int i = 0; i < k; i++) {
			items[i].outcome = OUT_THROTTLED;
			items[i].retry_after_ms = bucket_wait_ms(b, &rule, now);
		}
		goto out;
	}
	if (c->kind != CH_EMAIL && k > 1 && b->tokens < k) {
		struct message *msgs = xcalloc((size_t)k, sizeof(*msgs));
		struct digest d;
		struct http_request rq = { 0 };
		int64_t retry = 0;
		enum outcome r;

		for (int i = 0; i < k; i++)
			to_message(&items[i].n, &msgs[i]);
		digest_build(&d, msgs, k, items[0].n.locale);
		bucket_take(b, &rule, now);
		/* A config that cannot be shaped will not get better. */
		r = channel_http(c->kind, cfg, &d.msg, now, &rq, &err)
			? OUT_FAILED : post(w, w->curl, c->kind, &rq, items[0].error,
					    sizeof(items[0].error), &retry,
					    NULL);
		if (err.msg[0])
			snprintf(items[0].error, sizeof(items[0].error), "%s",
				 err.msg);
		for (int i = 0; i < k; i++) {
			items[i].outcome = r == OUT_SENT && i ? OUT_MERGED : r;
			items[i].retry_after_ms = retry;
			if (i)
				memcpy(items[i].error, items[0].error,
				       sizeof(items[i].error));
		}
		http_request_release(&rq);
		digest_release(&d);
		for (int i = 0; i < k; i++)
			json_decref((json_t *)msgs[i].event);
		free(msgs);
		goto out;
	}
	for (int i = 0; i < k; i++) {
		struct message m;
		struct http_request rq = { 0 };

		if (!bucket_take(b, &rule, now)) {
			items[i].outcome = OUT_THROTTLED;
			items[i].retry_after_ms = bucket_wait_ms(b, &rule, now);
			continue;
		}
		to_message(&items[i].n, &m);
		if (c->kind == CH_EMAIL) {
			items[i].outcome = smtp(w->curl, w->ehlo, cfg, &m,
						items[i].n.recipient,
						items[i].error,
						sizeof(items[i].error));
			json_decref((json_t *)m.event);
			continue;
		}
		memset(&err, 0, sizeof(err));
		if (channel_http(c->kind, cfg, &m, now, &rq, &err)) {
			items[i].outcome = OUT_FAILED;
			snprintf(items[i].error, sizeof(items[i].error), "%s",
				 err.msg);
		} else {
			items[i].outcome = post(w, w->curl, c->kind, &rq,
						items[i].error,
						sizeof(items[i].error),
						&items[i].retry_after_ms, NULL);
		}
		http_request_release(&rq);
		json_decref((json_t *)m.event);
	}
out:
	for (int i = 0; i < k; i++)
		notify_count(c->id, c->name, channel_kind_name(c->kind),
			     outcome_name(items[i].outcome));
	json_decref(cfg);
}

struct record {
	struct notify_worker *w;
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

		free(n->last_error);
		n->last_error = xstrdup(it->error);
		switch (it->outcome) {
		case OUT_SENT:
		case OUT_MERGED:
			n->state = it->outcome == OUT_MERGED ? NS_MERGED
							     : NS_SENT;
			n->attempts++;
			n->sent_ms = r->now;
			break;
		case OUT_THROTTLED:	/* not the receiver's failure */
			n->next_ms = r->now + (it->retry_after_ms > 0
					       ? it->retry_after_ms : 1000);
			break;
		case OUT_FAILED:	/* the service said it never will */
			n->attempts++;
			n->state = NS_FAILED;
			log_warn("message failed id=%lld error=\"%s\"",
				 (long long)n->id, it->error);
			break;
		case OUT_RETRY:
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

/* One pass: returns the number of messages handled. */
static int pass(struct notify_worker *w)
{
	struct batch b = { 0 };
	struct store *st = app_reader_get(w->app);
	int64_t now = clock_real_ms();	/* delivery runs on real time */
	int rc = store_notification_due(st, now, BATCH, collect, &b);

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
					b.items[k].outcome = OUT_RETRY;
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
	struct notify_worker *w = arg;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct timespec ts;
		int n;

		pthread_mutex_unlock(&w->mu);
		n = pass(w);
		pthread_mutex_lock(&w->mu);
		if (n == BATCH || w->stop)
			continue;	/* more due, or stopping */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += POLL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cv, &w->mu, &ts);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * One test message on channel c, now, on a handle of its own (the
 * worker's thread keeps its own): the administrator sees the service's
 * verdict at once. E-mail goes to the administrator's own address.
 */
static int test_send(void *ctx, const struct channel *c, const char *lang,
		     const char *to, char outcome[16], char code[24],
		     char error[256])
{
	struct notify_worker *w = ctx;
	bool zh = !lang || strcmp(lang, "en");
	json_t *cfg = json_loads(c->config ? c->config : "{}", 0, NULL);
	char key[TOKEN_LEN], *link = xasprintf("%s/", notify_base_url());
	struct http_request rq = { 0 };
	struct errbuf err = { 0 };
	struct message m;
	enum outcome o;
	int64_t retry = 0;
	CURL *h;

	token_new("erms-test-", key);
	m = (struct message){
		.subject = zh ? "[测试] erms 通知通道测试"
			      : "[TEST] erms channel test",
		.text = zh ? "这是一条测试消息：收到即表示此通道可用。"
			   : "A test message: if it arrived, this channel works.",
		.link = link, .idempotency_key = key,
		.lang = zh ? "zh-CN" : "en",
	};
	error[0] = '\0';
	code[0] = '\0';
	if (!cfg || keys_open_config(cfg)) {
		snprintf(error, 256, "the channel's secrets do not open with "
			 "this key file");
		o = OUT_FAILED;
	} else if (!(h = curl_easy_init())) {
		json_decref(cfg);
		free(link);
		return ERMS_EIO;
	} else {
		if (c->kind == CH_EMAIL)
			o = to && *to ? smtp(h, w->ehlo, cfg, &m, to, error,
					     256)
				      : OUT_FAILED;
		else if (channel_http(c->kind, cfg, &m, clock_real_ms(), &rq,
				      &err))
			o = OUT_FAILED;
		else
			o = post(w, h, c->kind, &rq, error, 256, &retry,
				 code);
		if (c->kind == CH_EMAIL && !(to && *to))
			snprintf(error, 256, "your account has no e-mail "
				 "address to send the test to");
		else if (err.msg[0])
			snprintf(error, 256, "%s", err.msg);
		curl_easy_cleanup(h);
	}
	snprintf(outcome, 16, "%s", outcome_name(o));
	notify_count(c->id, c->name, channel_kind_name(c->kind), outcome);
	http_request_release(&rq);
	json_decref(cfg);
	free(link);
	return 0;
}

int notify_worker_start(struct notify_worker *w, struct app *app,
			int max_attempts, int64_t backoff_ms)
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
	return 0;
}

void notify_worker_stop(struct notify_worker *w)
{
	if (!w->running)
		return;
	w->app->channel_test = NULL;
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
