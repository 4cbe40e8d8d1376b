/*
 * fuzz-time.c - RFC 3339 time parsing under libFuzzer.
 *
 * Properties: a time that parses is in the shape YYYY-MM-DDTHH:MM:SS
 * (digits where digits belong); it formats to a text that parses back
 * to the same instant.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[32];
	int64_t ms, again;

	memcpy(s, data, size);
	s[size] = '\0';
	if (!time_parse(s, &ms)) {
		for (int i = 0; i < 19; i++)
			if (!strchr("0123456789", s[i]) !=
			    (i == 4 || i == 7 || i == 10 || i == 13 ||
			     i == 16)) {
				fprintf(stderr, "accepted: '%s'\n", s);
				abort();
			}
		time_fmt(ms, out);
		if (time_parse(out, &again) || again != ms) {
			fprintf(stderr, "'%s' -> %lld -> '%s'\n", s,
				(long long)ms, out);
			abort();
		}
	}
	free(s);
	return 0;
}
