/*
 * crypto.c - libsodium wrappers.
 */
#include "util/crypto.h"

#include <sodium.h>
#include <string.h>

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
