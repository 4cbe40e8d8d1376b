/*
 * fuzz-intake.c - monitors' payloads under libFuzzer: the input, read
 * as the server reads a body (json_body()), decoded as every kind of
 * integration by intake_decode().
 *
 * Properties: a payload that decodes has at most INTAKE_ALERTS_MAX
 * alerts, each with a fingerprint, sorted and well-formed labels and
 * annotations, and an end only when resolved; an event has its
 * dedup_key; a refused one leaves the batch empty and, when it names a
 * field, a field of the payload.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/intake.h"
#include "http/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1764720000000LL

static void check_set(const struct label_set *s)
{
	if (label_set_check(s, "labels", NULL))
		abort();
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(s->l[i - 1].name, s->l[i].name) >= 0)
			abort();
}

static void check_batch(const struct intake_batch *b)
{
	if (b->n > INTAKE_ALERTS_MAX || (b->kind == IK_HEARTBEAT && b->n))
		abort();
	if (b->kind == IK_EVENTS && (b->n != 1 || !b->dedup_key[0] ||
				     strcmp(b->dedup_key,
					    b->a[0].fingerprint)))
		abort();
	for (size_t i = 0; i < b->n; i++) {
		const struct alert_in *a = &b->a[i];

		if (!a->fingerprint[0] ||
		    strlen(a->fingerprint) > INTAKE_DEDUP_MAX)
			abort();
		if ((a->action == AA_FIRING) != !a->ends_ms &&
		    a->action != AA_ACK)
			abort();
		check_set(&a->labels);
		check_set(&a->annotations);
		if (a->summary && strlen(a->summary) > 1024 * 1024)
			abort();
		if (a->details) {
			json_t *d = json_loads(a->details, JSON_DECODE_ANY,
					       NULL);

			if (!d)
				abort();
			json_decref(d);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *body = json_body((const char *)data, size, &je);

	for (int k = 0; k < IK__COUNT; k++) {
		struct intake_batch b;
		struct errbuf e = { 0 };
		int rc = intake_decode(k, body, NOW, &b, &e);

		if (rc) {
			if (rc != ERMS_EINVAL && rc != ERMS_ETOOBIG)
				abort();
			if (b.n || b.a || b.body)
				abort();
		} else {
			check_batch(&b);
		}
		intake_batch_release(&b);
	}
	json_decref(body);
	return 0;
}
