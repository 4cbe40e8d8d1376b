/*
 * opts.h - how the HTTP server is set up (http_start() in server.h):
 * the address, the threads and the limits of the connection guard.
 * Apart from server.h so that the server's own files (conn.h) can read
 * the options without depending on the server module.
 */
#ifndef ERMS_HTTP_OPTS_H
#define ERMS_HTTP_OPTS_H

#include <stddef.h>

struct http_opts {
	const char *listen;	/* "127.0.0.1:8080", "[::1]:0" */
	const char *port_file;	/* write the bound port here, or NULL */
	int threads;		/* I/O threads (0: one per core) */
	size_t body_max;	/* bytes (0: 1 MiB) */
	int timeout_s;		/* idle connection timeout (0: 30) */
	int request_timeout_s;	/* a request's headers and body must
				 * arrive within this, however they trickle
				 * (0: 30) */
	int max_conns;		/* past this many open connections every
				 * request but /healthz is answered 503
				 * (0: 1024, lowered to fit the fd limit) */
	int per_ip_conns;	/* connections from one address (0: 256,
				 * -1: no limit) */
};

#endif
