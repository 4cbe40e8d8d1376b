/*
 * transport.c - POSTing a shaped request (libcurl) for every HTTP kind.
 */
#include "notify/ops.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "util/netaddr.h"

#define ANSWER_MAX 2048		/* the part of an answer that is read */

static size_t keep_head(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t len = size * n;

	if (b->len < ANSWER_MAX)
		buf_add(b, p, len < ANSWER_MAX - b->len ? len
							 : ANSWER_MAX - b->len);
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
 * POST rq and read the service's answer as its vendor documents it
 * (channel_verdict): a robot that answers HTTP 200 with an error code
 * has not delivered.
 */
static void post(const struct channel_ops *ops,
		 const struct channel_transport *t,
		 const struct http_request *rq, struct verdict *v)
{
	struct curl_slist *hdr = NULL;
	struct buf body = BUF_INIT;
	struct dest dest = { .allow_internal = t->allow_internal };
	CURL *h = t->curl;
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
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &after);
	curl_slist_free_all(hdr);
	if (dest.refused)
		ch_verdict_set(v, DELIVERY_FAILED, "refused to connect to "
			       "%s: an internal address "
			       "(--allow-private-webhooks allows it)",
			       dest.addr);
	else if (rc != CURLE_OK)
		ch_verdict_set(v, DELIVERY_RETRY, "%s", curl_easy_strerror(rc));
	else
		channel_verdict(ops->kind, code, body.data, body.len,
				after > 0 ? (int64_t)after * 1000 : 0, v);
	buf_release(&body);
}

void ch_http_send(const struct channel_ops *ops,
		  const struct channel_transport *t, const json_t *config,
		  const struct message *m, const char *to, int64_t now_ms,
		  struct verdict *v)
{
	struct http_request rq = { 0 };
	struct errbuf err = { 0 };

	(void)to;
	/* A config that cannot be shaped will not get better. */
	if (channel_http(ops->kind, config, m, now_ms, &rq, &err))
		ch_verdict_set(v, DELIVERY_FAILED, "%s", err.msg);
	else
		post(ops, t, &rq, v);
	http_request_release(&rq);
}
