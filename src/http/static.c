/*
 * static.c - serving the embedded web console.
 *
 * Files are looked up by exact name in the generated table, so no path
 * from a request ever reaches the file system (no traversal to guard
 * against). Each answer carries a strong ETag (a SHA-256 prefix of the
 * content) and "no-cache": browsers revalidate and get 304 while the
 * binary is unchanged, and a new release is picked up at once.
 */
#include "http/static.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/crypto.h"
#include "util/embed.h"
#include "util/xalloc.h"

#define STATIC_MAX 64

static char etags[STATIC_MAX][24];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compute(void)
{
	char h[SHA256_HEX_LEN];

	for (int i = 0; embed_web[i].name && i < STATIC_MAX; i++) {
		sha256_hex(embed_web[i].data, embed_web[i].len, h);
		snprintf(etags[i], sizeof(etags[i]), "\"%.16s\"", h);
	}
}

void static_init(void)
{
	pthread_once(&once, compute);
}

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".json", "application/json" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < ARRAY_SIZE(types); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

bool static_serve(struct req *rq, struct resp *rs, const char *path,
		  const char *if_none_match)
{
	const char *name = strcmp(path, "/") ? path + 1 : "index.html";

	(void)rq;
	static_init();
	for (int i = 0; embed_web[i].name && i < STATIC_MAX; i++) {
		if (strcmp(embed_web[i].name, name))
			continue;
		resp_header(rs, "ETag", "%s", etags[i]);
		resp_header(rs, "Cache-Control", "no-cache");
		if (if_none_match && !strcmp(if_none_match, etags[i])) {
			resp_status(rs, 304);
			return true;
		}
		resp_static(rs, 200, type_of(name), embed_web[i].data,
			    embed_web[i].len);
		return true;
	}
	return false;
}
