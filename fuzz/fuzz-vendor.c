/*
 * fuzz-vendor.c - reading the chat services' answers under libFuzzer.
 *
 * The first byte picks the channel kind, the second the HTTP status (one
 * of those the services use), the rest is the body. Properties: the
 * verdict is one of the four outcomes; a "sent" has no error and a
 * refusal has one; the error is printable ASCII or UTF-8 without control
 * characters (it goes into the delivery log and the server's log); the
 * same answer always gives the same verdict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notify/channel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 0, 200, 201, 204, 301, 400, 403, 404,
					 408, 410, 429, 500, 502, 503 };
	struct verdict a, b;
	enum channel_kind k;
	long status;

	if (size < 2)
		return 0;
	k = (enum channel_kind)(data[0] % CH__COUNT);
	status = statuses[data[1] % (sizeof(statuses) / sizeof(*statuses))];
	channel_verdict(k, status, (const char *)data + 2, size - 2,
			data[1] & 0x80 ? 5000 : 0, &a);
	channel_verdict(k, status, (const char *)data + 2, size - 2,
			data[1] & 0x80 ? 5000 : 0, &b);
	if (memcmp(&a, &b, sizeof(a)))
		abort();
	if (a.outcome > DELIVERY_FAILED)
		abort();
	if ((a.outcome == DELIVERY_SENT) != (a.error[0] == '\0'))
		abort();
	for (const char *p = a.error; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	if (!memchr(a.error, '\0', sizeof(a.error)) ||
	    !memchr(a.code, '\0', sizeof(a.code)))
		abort();
	return 0;
}
