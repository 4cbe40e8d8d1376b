/*
 * embed.h - files compiled into the binary by tools/embed.py (migrations,
 * the web console). Each generated table is sorted by name and ends with
 * a { NULL } sentinel. data is NUL-terminated; len excludes the NUL.
 */
#ifndef ERMS_UTIL_EMBED_H
#define ERMS_UTIL_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

extern const struct embed_file embed_migrations_sqlite[];
extern const struct embed_file embed_migrations_postgres[];
extern const struct embed_file embed_web[];
extern const struct embed_file embed_plans[];

#endif
