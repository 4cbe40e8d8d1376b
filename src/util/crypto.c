/*
 * crypto.c - libsodium wrappers.
 */
#include "util/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "util/err.h"

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
 * The password gate (crypto.h): slots in use and callers waiting for
 * one, under one mutex; a freed slot wakes one waiter. slots == 0 (the
 * default, and every command but serve) lets everyone in.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int slots, queue, wait_ms;
	int busy, waiting;
} gate = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
};

void pwgate_setup(int slots, int queue, int wait_ms)
{
	pthread_mutex_lock(&gate.mu);
	gate.slots = slots;
	gate.queue = queue;
	gate.wait_ms = wait_ms;
	pthread_mutex_unlock(&gate.mu);
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

/* A condition variable that waits on the monotonic clock, so that a
 * change of the wall clock neither stretches nor cuts the wait. */
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;

static void gate_init(void)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_destroy(&gate.cv);
	pthread_cond_init(&gate.cv, &ca);
	pthread_condattr_destroy(&ca);
}

int pwgate_enter(void)
{
	struct timespec ts;
	int rc = 0;

	pthread_once(&gate_once, gate_init);
	pthread_mutex_lock(&gate.mu);
	if (gate.slots && gate.busy >= gate.slots) {
		if (gate.waiting >= gate.queue) {
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
	pthread_cond_signal(&gate.cv);
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
