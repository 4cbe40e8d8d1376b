/*
 * sse-subs.c - many live subscribers from one process, for the bench:
 * `erms-bench-sse URL TOKEN N SECONDS`.
 *
 * Opens N connections to URL/api/v1/events with the bearer token, all
 * driven by one epoll loop (1,000 curl processes would cost the machine
 * more than the server does), reads for SECONDS and prints
 *
 *	connected N events E bytes B
 *
 * N: the streams answered 200; E: the "id:" lines received over all of
 * them (each event once per subscriber); B: the bytes read, headers and
 * chunk framing included. The answer is chunked (HTTP/1.1), so each
 * stream is de-chunked before its lines are counted: a line may be cut
 * anywhere by the framing.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum state { S_HEAD, S_SIZE, S_DATA, S_CRLF, S_RAW };

struct sub {
	int fd;
	enum state st;
	bool ok;		/* answered 200 */
	bool chunked;
	char head[2048];	/* the answer's head, until its blank line */
	size_t hlen;
	size_t left;		/* bytes left of the current chunk */
	int col;		/* column in the current line: "id:" at 0-2 */
	bool id_line;		/* the current line begins "id:" so far */
};

static long long events, bytes;
static int connected;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Body bytes of one stream: count the lines that begin "id:". Past a
 * line's first three bytes only its end matters (memchr): the client
 * shares the machine with the server it measures, so it must cost
 * little per byte.
 */
static void body(struct sub *s, const char *p, size_t n)
{
	static const char id[] = "id:";
	const char *end = p + n, *nl;

	while (p < end) {
		if (*p == '\n') {
			s->col = 0;
			s->id_line = true;
			p++;
		} else if (s->col < 3) {
			if (s->id_line) {
				s->id_line = *p == id[s->col];
				if (s->id_line && s->col == 2)
					events++;
			}
			s->col++;
			p++;
		} else if ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			p = nl;
		} else {
			p = end;
		}
	}
}

/* The head is complete: its status, and whether the body is chunked. */
static void head_done(struct sub *s)
{
	s->head[s->hlen] = '\0';
	for (size_t i = 0; i < s->hlen; i++)
		if (s->head[i] >= 'A' && s->head[i] <= 'Z')
			s->head[i] = (char)(s->head[i] | 0x20);
	s->ok = !strncmp(s->head, "http/1.1 200", 12) ||
		!strncmp(s->head, "http/1.0 200", 12);
	s->chunked = strstr(s->head, "transfer-encoding: chunked") != NULL;
	if (s->ok)
		connected++;
	s->st = s->chunked ? S_SIZE : S_RAW;
	s->col = 0;
	s->id_line = true;
}

/* What arrived on one stream, through its de-chunking. */
static void feed(struct sub *s, const char *p, size_t n)
{
	while (n) {
		size_t k;

		switch (s->st) {
		case S_HEAD:
			if (s->hlen < sizeof(s->head) - 1)
				s->head[s->hlen++] = *p;
			p++, n--;
			if (s->hlen >= 4 &&
			    !memcmp(s->head + s->hlen - 4, "\r\n\r\n", 4))
				head_done(s);
			break;
		case S_SIZE:
			if (*p == '\n') {
				s->st = s->left ? S_DATA : S_RAW;
			} else if (*p >= '0' && *p <= '9') {
				s->left = s->left * 16 + (size_t)(*p - '0');
			} else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f') {
				s->left = s->left * 16 +
					  (size_t)((*p | 0x20) - 'a' + 10);
			}
			p++, n--;
			break;
		case S_DATA:
			k = n < s->left ? n : s->left;
			body(s, p, k);
			p += k, n -= k;
			s->left -= k;
			if (!s->left)
				s->st = S_CRLF;
			break;
		case S_CRLF:
			if (*p == '\n')
				s->st = S_SIZE;
			p++, n--;
			break;
		case S_RAW:
			body(s, p, n);
			n = 0;
			break;
		}
	}
}

/* host and port of "http://host:port[/prefix]"; the prefix into path. */
static int parse_url(const char *url, char *host, size_t hsz, char *port,
		     size_t psz, char *path, size_t pathsz)
{
	const char *h = strncmp(url, "http://", 7) ? url : url + 7;
	const char *slash = strchr(h, '/');
	const char *colon = memchr(h, ':', slash ? (size_t)(slash - h)
						 : strlen(h));
	const char *end = slash ? slash : h + strlen(h);

	if (!colon) {
		snprintf(port, psz, "80");
		colon = end;
	} else {
		snprintf(port, psz, "%.*s", (int)(end - colon - 1), colon + 1);
	}
	snprintf(host, hsz, "%.*s", (int)(colon - h), h);
	snprintf(path, pathsz, "%s", slash ? slash : "");
	if (path[0] && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	return host[0] ? 0 : -1;
}

static int open_one(const struct addrinfo *ai, const char *req, size_t rlen)
{
	int fd = socket(ai->ai_family, SOCK_STREAM, 0);
	size_t off = 0;

	if (fd < 0)
		return -1;
	/* Connect blocking (loopback: at once), then send the request
	 * whole; only the reading is non-blocking. */
	if (connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		close(fd);
		return -1;
	}
	while (off < rlen) {
		ssize_t w = write(fd, req + off, rlen - off);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int main(int argc, char **argv)
{
	char host[256], port[16], prefix[512], req[2048];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct epoll_event evs[256];
	static char rbuf[65536];
	struct sub *subs;
	double until;
	int n, secs, ep, rlen;

	if (argc != 5 || (n = atoi(argv[3])) <= 0 ||
	    (secs = atoi(argv[4])) <= 0 ||
	    parse_url(argv[1], host, sizeof(host), port, sizeof(port),
		      prefix, sizeof(prefix))) {
		fprintf(stderr, "usage: erms-bench-sse URL TOKEN N SECONDS\n");
		return 2;
	}
	if (getaddrinfo(host, port, &hints, &ai)) {
		fprintf(stderr, "erms-bench-sse: cannot resolve %s\n", host);
		return 1;
	}
	rlen = snprintf(req, sizeof(req),
			"GET %s/api/v1/events HTTP/1.1\r\nHost: %s:%s\r\n"
			"Accept: text/event-stream\r\n"
			"Authorization: Bearer %s\r\n\r\n",
			prefix, host, port, argv[2]);
	subs = calloc((size_t)n, sizeof(*subs));
	ep = epoll_create1(0);
	if (!subs || ep < 0 || rlen <= 0 || (size_t)rlen >= sizeof(req))
		return 1;
	for (int i = 0; i < n; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &subs[i] };

		subs[i].fd = open_one(ai, req, (size_t)rlen);
		if (subs[i].fd >= 0)
			epoll_ctl(ep, EPOLL_CTL_ADD, subs[i].fd, &ev);
	}
	freeaddrinfo(ai);
	until = now_s() + secs;
	for (double t = now_s(); t < until; t = now_s()) {
		int k = epoll_wait(ep, evs, 256, (int)((until - t) * 1000) + 1);

		for (int i = 0; i < k; i++) {
			struct sub *s = evs[i].data.ptr;
			ssize_t r = read(s->fd, rbuf, sizeof(rbuf));

			if (r > 0) {
				bytes += r;
				feed(s, rbuf, (size_t)r);
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
				close(s->fd);
				s->fd = -1;
			}
		}
	}
	for (int i = 0; i < n; i++)
		if (subs[i].fd >= 0)
			close(subs[i].fd);
	printf("connected %d events %lld bytes %lld\n", connected, events,
	       bytes);
	free(subs);
	close(ep);
	return 0;
}
