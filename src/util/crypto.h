/*
 * crypto.h - the few cryptographic primitives erms needs, all libsodium.
 *
 * Passwords: Argon2id (crypto_pwhash_str_alg). Secrets we hand out
 * (session cookies, API tokens, CSRF tokens) are 32 random bytes, given to
 * the holder once and stored only as their SHA-256, so a stolen database
 * does not open sessions. Comparisons of secrets are constant-time.
 */
#ifndef ERMS_UTIL_CRYPTO_H
#define ERMS_UTIL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 65	/* 64 hex digits and a NUL */
#define TOKEN_LEN 64		/* prefix + base64url(32 bytes) + NUL fits */
#define PWHASH_LEN 128		/* crypto_pwhash_STRBYTES */

/* Call once before threads start; returns 0 or -1. */
int crypto_init(void);
void sha256_hex(const void *p, size_t n, char out[SHA256_HEX_LEN]);
/* A new random secret: prefix followed by 43 base64url characters. */
void token_new(const char *prefix, char out[TOKEN_LEN]);
/* 0 on success, ERMS_EINVAL on failure (out of memory in Argon2). */
int password_hash(const char *pw, char out[PWHASH_LEN]);
bool password_verify(const char *hash, const char *pw);
/*
 * The password gate. Each Argon2id hash or check takes
 * crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB) for its duration, so a
 * server lets only `slots` of them run at once, each on one of the
 * gate's own threads (erms-hash-N) or on a caller that entered the gate.
 * At most `queue` jobs and callers wait for a slot, each at most
 * wait_ms: past that, or with the queue full, the answer is ERMS_EBUSY
 * (the caller says "busy, try again" and changes nothing). Without
 * pwgate_setup() everyone enters at once and jobs run on the caller.
 * password_hash() and password_verify() do not enter themselves: their
 * callers on the server do, around them, or submit a job.
 */
struct pwjob {
	struct pwjob *next;
	int64_t queued_ms;
	/* On a gate thread, in a slot; late: it waited past wait_ms and
	 * holds no slot (answer busy, hash nothing). */
	void (*run)(struct pwjob *j, bool late);
};

/* Start `slots` threads (before any job); 0 or ERMS_EIO. */
int pwgate_setup(int slots, int queue, int wait_ms);
/* After the last job: the threads end (queued jobs run first). */
void pwgate_stop(void);
/* Queue j for a slot: 0 (j->run will be called) or ERMS_EBUSY. */
int pwgate_submit(struct pwjob *j);
/* Take a slot on the calling thread: 0 (pwgate_leave() after the hash)
 * or ERMS_EBUSY, after waiting at most wait_ms. */
int pwgate_enter(void);
void pwgate_leave(void);
/* HMAC-SHA256 of p[0..n) under a 32-byte key, as 64 hex digits. */
void mac_sha256_hex(const unsigned char key[32], const void *p, size_t n,
		     char out[SHA256_HEX_LEN]);
/* A secret derived from msg: base64url of its HMAC-SHA256 under a
 * 32-byte key (43 characters). */
void mac_token(const unsigned char key[32], const char *msg,
	       char out[TOKEN_LEN]);
/* Sub-key `id` (1, 2, ...) of a 32-byte master key (crypto_kdf, context
 * "erms-key"). */
void kdf_subkey(const unsigned char master[32], unsigned id,
		unsigned char out[32]);
/* Constant-time equality of two NUL-terminated strings of public length. */
bool ct_streq(const char *a, const char *b);

#endif
