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
 * The password gate: each Argon2id hash or check takes
 * crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB) for its duration, so a
 * server lets only `slots` of them run at once. A caller that finds the
 * slots taken waits, at most wait_ms, among at most `queue` others; past
 * that, or if the queue is full, pwgate_enter() returns ERMS_EBUSY
 * (the caller answers "busy, try again" and changes nothing). Without
 * pwgate_setup(), or with slots 0, everyone enters at once.
 * password_hash() and password_verify() themselves do not enter: their
 * callers on the server do, around them.
 */
void pwgate_setup(int slots, int queue, int wait_ms);
/* 0 (a slot is held: pwgate_leave() after the hash) or ERMS_EBUSY. */
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
