/*
 * first-out.c - alert in to first webhook out: how long from posting an
 * alert of a new group until the first message about it reaches a
 * webhook receiver (bench/alerts.sh).
 *
 *   erms-bench-first-out erms PORT INTAKE_URL N
 *   erms-bench-first-out alertmanager PORT ALERTS_URL N
 *
 * Listens on 127.0.0.1:PORT as the webhook receiver, then posts N alerts
 * one at a time, each of a new group, and waits for each one's first
 * message before the next. The time runs from just before the POST until
 * the receiver has that message (which may arrive before the answer).
 *
 * erms: erms has a webhook channel on command HQ pointing at the
 * receiver; each alert is an Alertmanager webhook payload posted to an
 * integration's INTAKE_URL, reports an incident, and its message is the
 * one whose link ends in the incident number the answer named.
 * alertmanager: each alert goes to a real Alertmanager's
 * POST /api/v2/alerts (ALERTS_URL), whose route groups by the label
 * `bench` and sends to the receiver (webhook_configs) with group_wait 0s;
 * its message is the one whose groupLabels.bench is the alert's.
 *
 * Prints "n N p50 MS p99 MS max MS answer_p50 MS answer_p99 MS missed M".
 *
 * Built by bench/alerts.sh with cc and pkg-config (libmicrohttpd,
 * libcurl, jansson); not part of erms.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 10000		/* a message later than this is missed */
#define SEEN_MAX 65536

struct seen {
	char number[32];
	double at_ms;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct seen seen[SEEN_MAX];
static size_t nseen;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct upload {
	char *data;
	size_t len;
};

/* Note what a message is about: erms's link ends in /incidents/NUMBER;
 * Alertmanager's group has the label bench. */
static void note(const char *body, size_t len, double at)
{
	json_t *j = json_loadb(body, len, 0, NULL);
	const char *link = json_string_value(json_object_get(j, "link"));
	const char *what = link ? strrchr(link, '/') : NULL;

	if (what)
		what++;
	else
		what = json_string_value(json_object_get(
			json_object_get(j, "groupLabels"), "bench"));
	pthread_mutex_lock(&mu);
	if (what && nseen < SEEN_MAX) {
		snprintf(seen[nseen].number, sizeof(seen[nseen].number), "%s",
			 what);
		seen[nseen].at_ms = at;
		nseen++;
		pthread_cond_broadcast(&cv);
	}
	pthread_mutex_unlock(&mu);
	json_decref(j);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *size, void **state)
{
	struct upload *u = *state;
	struct MHD_Response *r;
	enum MHD_Result rc;

	(void)cls, (void)url, (void)method, (void)version;
	if (!u) {
		*state = calloc(1, sizeof(*u));
		return *state ? MHD_YES : MHD_NO;
	}
	if (*size) {
		char *p = realloc(u->data, u->len + *size);

		if (!p)
			return MHD_NO;
		memcpy(p + u->len, data, *size);
		u->data = p;
		u->len += *size;
		*size = 0;
		return MHD_YES;
	}
	note(u->data ? u->data : "", u->len, now_ms());
	r = MHD_create_response_from_buffer(2, (void *)"{}",
					    MHD_RESPMEM_PERSISTENT);
	rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
		    enum MHD_RequestTerminationCode why)
{
	struct upload *u = *state;

	(void)cls, (void)c, (void)why;
	if (u) {
		free(u->data);
		free(u);
	}
	*state = NULL;
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	char *q = realloc(u->data, u->len + size * n + 1);

	if (!q)
		return 0;
	memcpy(q + u->len, p, size * n);
	u->data = q;
	u->len += size * n;
	u->data[u->len] = '\0';
	return size * n;
}

/* When the first message about incident number arrived, waiting until
 * deadline; -1 if it did not. */
static double arrival(const char *number, double deadline)
{
	double at = -1;
	size_t from = 0;

	pthread_mutex_lock(&mu);
	for (;;) {
		for (size_t i = from; i < nseen && at < 0; i++)
			if (!strcmp(seen[i].number, number))
				at = seen[i].at_ms;
		from = nseen;
		if (at >= 0 || now_ms() >= deadline)
			break;
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 1000000;	/* check the deadline every ms */
		if (ts.tv_nsec >= 1000000000)
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		pthread_cond_timedwait(&cv, &mu, &ts);
	}
	pthread_mutex_unlock(&mu);
	return at;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return -1;
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	CURL *curl;
	struct curl_slist *hdr = NULL;
	double *lat, *ans;
	size_t n, ok = 0, missed = 0;
	char body[2048], stamp[32], id[32];
	bool am;
	unsigned run;
	time_t t;
	struct tm tm;
	struct sockaddr_in addr;

	if (argc != 5 || (strcmp(argv[1], "erms") &&
			  strcmp(argv[1], "alertmanager"))) {
		fprintf(stderr, "usage: erms-bench-first-out erms|alertmanager "
			"PORT URL N\n");
		return 2;
	}
	am = !strcmp(argv[1], "alertmanager");
	argv++;
	n = strtoul(argv[3], NULL, 10);
	lat = calloc(n ? n : 1, sizeof(*lat));
	ans = calloc(n ? n : 1, sizeof(*ans));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)strtoul(argv[1], NULL, 10));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD,
			     ntohs(addr.sin_port), NULL, NULL, on_request, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			     MHD_OPTION_END);
	if (!d || !lat || !ans) {
		fprintf(stderr, "first-out: cannot listen on port %s\n", argv[1]);
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	curl = curl_easy_init();
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, argv[2]);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	t = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	run = (unsigned)getpid() ^ (unsigned)t;
	for (size_t i = 0; i < n; i++) {
		struct upload out = { NULL, 0 };
		json_t *j;
		const char *number;
		double t0, t1, at;
		long status = 0;

		snprintf(id, sizeof(id), "%08x-%zu", run, i);
		if (am)
			snprintf(body, sizeof(body),
				 "[{\"labels\":{\"alertname\":\"FirstOut\","
				 "\"bench\":\"%s\",\"severity\":\"critical\"},"
				 "\"annotations\":{\"summary\":\"first message "
				 "bench %zu\"},\"startsAt\":\"%s\","
				 "\"generatorURL\":\"http://127.0.0.1:9090/graph\"}]",
				 id, i, stamp);
		else
			snprintf(body, sizeof(body),
				 "{\"version\":\"4\",\"groupKey\":"
				 "\"{}:{bench=\\\"%s\\\"}\",\"truncatedAlerts\":0,"
				 "\"status\":\"firing\",\"receiver\":\"erms\","
				 "\"groupLabels\":{\"bench\":\"%s\"},"
				 "\"commonLabels\":{\"alertname\":\"FirstOut\","
				 "\"bench\":\"%s\",\"severity\":\"critical\"},"
				 "\"commonAnnotations\":{},\"externalURL\":"
				 "\"http://127.0.0.1:9093\",\"alerts\":[{"
				 "\"status\":\"firing\",\"labels\":{\"alertname\":"
				 "\"FirstOut\",\"bench\":\"%s\",\"severity\":"
				 "\"critical\"},\"annotations\":{\"summary\":"
				 "\"first message bench %zu\"},\"startsAt\":\"%s\","
				 "\"endsAt\":\"0001-01-01T00:00:00Z\","
				 "\"generatorURL\":\"http://127.0.0.1:9090/graph\","
				 "\"fingerprint\":\"%08x%08zx\"}]}",
				 id, id, id, id, i, stamp, run, i);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
		t0 = now_ms();
		if (curl_easy_perform(curl) != CURLE_OK) {
			fprintf(stderr, "first-out: alert %zu: no answer\n", i);
			missed++;
			free(out.data);
			continue;
		}
		t1 = now_ms();
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		j = json_loadb(out.data ? out.data : "", out.len, 0, NULL);
		number = am ? id : json_string_value(json_object_get(j,
								   "incident"));
		if (status != 200 || !number) {
			fprintf(stderr, "first-out: alert %zu: %ld %.*s\n", i,
				status, (int)out.len, out.data ? out.data : "");
			missed++;
		} else if ((at = arrival(number, t0 + WAIT_MS)) < 0) {
			fprintf(stderr, "first-out: no message for %s\n", number);
			missed++;
		} else {
			lat[ok] = at - t0;
			ans[ok] = t1 - t0;
			ok++;
		}
		json_decref(j);
		free(out.data);
	}
	qsort(lat, ok, sizeof(*lat), cmp_double);
	qsort(ans, ok, sizeof(*ans), cmp_double);
	printf("n %zu p50 %.2f p99 %.2f max %.2f answer_p50 %.2f "
	       "answer_p99 %.2f missed %zu\n", ok, pct(lat, ok, 0.50),
	       pct(lat, ok, 0.99), ok ? lat[ok - 1] : -1, pct(ans, ok, 0.50),
	       pct(ans, ok, 0.99), missed);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	MHD_stop_daemon(d);
	free(lat);
	free(ans);
	return missed ? 1 : 0;
}
