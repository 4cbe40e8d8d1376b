/*
 * crypto.c - libsodium wrappers.
 */
#include "util/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/err.h"
#include "util/thread.h"

int crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void sha256_hex(const void *p, size_t n, char out[SHA256_HEX_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, SHA256_HEX_LEN, h, sizeof(h));
}

void token_new(const char *prefix, char out[TOKEN_LEN])
{
	unsigned char raw[32];
	size_t pl = strlen(prefix);

	randombytes_buf(raw, sizeof(raw));
	memcpy(out, prefix, pl);
	sodium_bin2base64(out + pl, TOKEN_LEN - pl, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int password_hash(const char *pw, char out[PWHASH_LEN])
{
	_Static_assert(PWHASH_LEN >= crypto_pwhash_STRBYTES, "pwhash size");
	if (crypto_pwhash_str_alg(out, pw, strlen(pw),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13))
		return ERMS_EINVAL;
	return 0;
}

bool password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/*
 * The password gate (crypto.h): slots in use, callers waiting for one
 * (waiting) and jobs queued for the gate's threads, under one mutex.
 * A freed slot wakes a waiter and the threads alike; whoever takes it
 * first has it. slots == 0 (the default, and every command but serve)
 * lets everyone in and runs jobs on the caller.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* a slot freed, a job queued, stop */
	int slots, queue, wait_ms;
	int busy, waiting, queued;
	struct pwjob *head, **tail;
	pthread_t *threads;
	bool stop;
} gate = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.tail = &gate.head,
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The monotonic clock ms from now, for pthread_cond_timedwait. */
static void deadline(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Queued jobs and waiters past this many get ERMS_EBUSY: the queue
 * proper, plus the slots free right now (a job for one of them is
 * only passing through). Under gate.mu. */
static bool gate_full(void)
{
	int free_slots = gate.slots > gate.busy ? gate.slots - gate.busy : 0;

	return gate.queued + gate.waiting >= gate.queue + free_slots;
}

/* One of the gate's threads: the oldest job, in a slot; one that waited
 * past wait_ms runs late (it answers busy) and takes no slot. */
static void *gate_main(void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "erms-hash-%d", (int)(intptr_t)arg % 100);
	thread_name(name);
	pthread_mutex_lock(&gate.mu);
	for (;;) {
		struct pwjob *j = gate.head;
		bool late;

		if (!j && gate.stop)
			break;
		if (!j || (gate.busy >= gate.slots &&
			   mono_ms() - j->queued_ms <= gate.wait_ms)) {
			struct timespec ts;

			deadline(&ts, j ? 50 : 1000);
			pthread_cond_timedwait(&gate.cv, &gate.mu, &ts);
			continue;
		}
		gate.head = j->next;
		if (!gate.head)
			gate.tail = &gate.head;
		gate.queued--;
		late = mono_ms() - j->queued_ms > gate.wait_ms;
		if (!late)
			gate.busy++;
		pthread_mutex_unlock(&gate.mu);
		j->run(j, late);
		pthread_mutex_lock(&gate.mu);
		if (!late)
			gate.busy--;
		pthread_cond_broadcast(&gate.cv);
	}
	pthread_mutex_unlock(&gate.mu);
	return NULL;
}

int pwgate_setup(int slots, int queue, int wait_ms)
{
	pthread_condattr_t ca;

	/* Waits are on the monotonic clock: a change of the wall clock
	 * neither stretches nor cuts them. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&gate.cv, &ca);
	pthread_condattr_destroy(&ca);
	gate.stop = false;
	gate.slots = slots;
	gate.queue = queue;
	gate.wait_ms = wait_ms;
	gate.threads = calloc((size_t)slots, sizeof(*gate.threads));
	if (!gate.threads)
		return ERMS_EIO;
	for (int i = 0; i < slots; i++)
		if (pthread_create(&gate.threads[i], NULL, gate_main,
				   (void *)(intptr_t)(i + 1)))
			return ERMS_EIO;	/* the caller cannot go on */
	return 0;
}

void pwgate_stop(void)
{
	if (!gate.threads)
		return;
	pthread_mutex_lock(&gate.mu);
	gate.stop = true;
	pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.mu);
	for (int i = 0; i < gate.slots; i++)
		pthread_join(gate.threads[i], NULL);
	free(gate.threads);
	gate.threads = NULL;
	gate.slots = 0;
	pthread_cond_destroy(&gate.cv);
}

int pwgate_submit(struct pwjob *j)
{
	pthread_mutex_lock(&gate.mu);
	if (!gate.slots) {
		pthread_mutex_unlock(&gate.mu);
		j->run(j, false);
		return 0;
	}
	if (gate_full()) {
		pthread_mutex_unlock(&gate.mu);
		return ERMS_EBUSY;
	}
	j->next = NULL;
	j->queued_ms = mono_ms();
	*gate.tail = j;
	gate.tail = &j->next;
	gate.queued++;
	pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.mu);
	return 0;
}

int pwgate_enter(void)
{
	struct timespec ts;
	int rc = 0;

	pthread_mutex_lock(&gate.mu);
	if (gate.slots && gate.busy >= gate.slots) {
		if (gate_full()) {
			rc = ERMS_EBUSY;
			goto out;
		}
		deadline(&ts, gate.wait_ms);
		gate.waiting++;
		while (gate.busy >= gate.slots && !rc)
			if (pthread_cond_timedwait(&gate.cv, &gate.mu, &ts) ==
			    ETIMEDOUT && gate.busy >= gate.slots)
				rc = ERMS_EBUSY;
		gate.waiting--;
		if (rc)
			goto out;
	}
	gate.busy++;
out:
	pthread_mutex_unlock(&gate.mu);
	return rc;
}

void pwgate_leave(void)
{
	pthread_mutex_lock(&gate.mu);
	gate.busy--;
	if (gate.slots)
		pthread_cond_broadcast(&gate.cv);
	pthread_mutex_unlock(&gate.mu);
}

bool ct_streq(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

void mac_sha256_hex(const unsigned char key[32], const void *p, size_t n,
		     char out[SHA256_HEX_LEN])
{
	unsigned char h[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state s;

	crypto_auth_hmacsha256_init(&s, key, 32);
	crypto_auth_hmacsha256_update(&s, p, n);
	crypto_auth_hmacsha256_final(&s, h);
	sodium_bin2hex(out, SHA256_HEX_LEN, h, sizeof(h));
}

void kdf_subkey(const unsigned char master[32], unsigned id,
		unsigned char out[32])
{
	_Static_assert(crypto_kdf_KEYBYTES == 32, "kdf key size");
	crypto_kdf_derive_from_key(out, 32, id, "erms-key", master);
}

void mac_token(const unsigned char key[32], const char *msg,
	       char out[TOKEN_LEN])
{
	unsigned char h[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_state s;

	crypto_auth_hmacsha256_init(&s, key, 32);
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)msg,
				      strlen(msg));
	crypto_auth_hmacsha256_final(&s, h);
	sodium_bin2base64(out, TOKEN_LEN, h, sizeof(h),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(h, sizeof(h));
}
