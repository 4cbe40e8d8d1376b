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
