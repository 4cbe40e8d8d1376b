/*
 * keys.c - reading, creating and binding the key file.
 */
#define LOG_MOD "keys"
#include "app/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/xalloc.h"

#define KEY_MAGIC "erms-key-v1"
#define SEALED "sealed:v1:"

/* The config fields that are secrets. */
static const char *const sealed_fields[] = { "secret", "password", "url" };

static struct keys installed;
static bool have_keys;
static const char *anchor_path;

void keys_default_path(const char *db_url, char *out, size_t n)
{
	const char *p = strncmp(db_url, "sqlite:", 7) ? db_url : db_url + 7;

	snprintf(out, n, "%s.key", p);
}

void keys_default_anchor(const char *key_path, char *out, size_t n)
{
	size_t l = strlen(key_path);

	if (l > 4 && !strcmp(key_path + l - 4, ".key"))
		snprintf(out, n, "%.*s.anchor", (int)(l - 4), key_path);
	else
		snprintf(out, n, "%s.anchor", key_path);
}

static void derive(const unsigned char master[32], struct keys *k)
{
	unsigned char fp[32];

	kdf_subkey(master, 1, k->audit);
	kdf_subkey(master, 2, k->box);
	kdf_subkey(master, 3, k->ack);
	kdf_subkey(master, 4, fp);
	kdf_subkey(master, 5, k->pack);
	sodium_bin2hex(k->fp, sizeof(k->fp), fp, sizeof(fp));
	sodium_memzero(fp, sizeof(fp));
}

/* A new key file at path: O_EXCL, so an existing one is never replaced. */
static int create_key(const char *path, unsigned char master[32],
		      struct errbuf *err)
{
	char hex[65], text[96];
	int fd, n, rc = 0;

	randombytes_buf(master, 32);
	sodium_bin2hex(hex, sizeof(hex), master, 32);
	n = snprintf(text, sizeof(text), "%s\n%s\n", KEY_MAGIC, hex);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, (size_t)n) != n || fsync(fd))
		rc = err_ret(err, ERMS_EIO, "io_error",
			     "cannot create key file '%s': %s", path,
			     strerror(errno));
	if (fd >= 0 && close(fd) && !rc)
		rc = err_ret(err, ERMS_EIO, "io_error",
			     "cannot create key file '%s'", path);
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(text, sizeof(text));
	if (!rc)
		log_info("created key file path=%s", path);
	return rc;
}

static int read_key(const char *path, unsigned char master[32],
		    struct errbuf *err)
{
	char text[128] = { 0 };
	struct stat sb;
	size_t len = 0;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT
			? err_ret(err, ERMS_ENOTFOUND, "not_found",
				  "key file '%s' does not exist", path)
			: err_ret(err, ERMS_EIO, "io_error",
				  "cannot read key file '%s': %s", path,
				  strerror(errno));
	if (fstat(fd, &sb) || (sb.st_mode & 077)) {
		rc = err_ret(err, ERMS_EINVAL, "bad_request",
			     "key file '%s' may be read by others: "
			     "chmod 600 it", path);
		goto out;
	}
	while (len < sizeof(text) - 1 &&
	       (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	if (strncmp(text, KEY_MAGIC "\n", sizeof(KEY_MAGIC)) ||
	    sodium_hex2bin(master, 32, text + sizeof(KEY_MAGIC), 64, NULL,
			   NULL, NULL) || text[sizeof(KEY_MAGIC) + 64] != '\n')
		rc = err_ret(err, ERMS_EINVAL, "bad_request",
			     "'%s' is not an erms key file", path);
out:
	sodium_memzero(text, sizeof(text));
	close(fd);
	return rc;
}

int keys_load(const char *path, bool create, struct keys *out,
	      struct errbuf *err)
{
	unsigned char master[32];
	int rc = read_key(path, master, err);

	if (rc == ERMS_ENOTFOUND && create)
		rc = create_key(path, master, err);
	if (!rc)
		derive(master, out);
	sodium_memzero(master, sizeof(master));
	return rc;
}

const struct keys *keys_current(void)
{
	return have_keys ? &installed : NULL;
}

const char *keys_anchor(void)
{
	return anchor_path;
}

void keys_install(const struct keys *k, const char *anchor)
{
	installed = *k;
	have_keys = true;
	anchor_path = anchor;
}

static char *seal(const char *plain)
{
	size_t n = strlen(plain);
	size_t raw = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	size_t b64 = sodium_base64_ENCODED_LEN(raw,
		sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	unsigned char *box = xmalloc(raw);
	char *out = xmalloc(sizeof(SEALED) + b64);

	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
			      (const unsigned char *)plain, n, box,
			      installed.box);
	memcpy(out, SEALED, sizeof(SEALED) - 1);
	sodium_bin2base64(out + sizeof(SEALED) - 1, b64, box, raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(box);
	return out;
}

/* NULL when v does not open. */
static char *unseal(const char *v)
{
	size_t len = strlen(v), raw;
	unsigned char *box = xmalloc(len + 1);
	char *plain = NULL;

	if (sodium_base642bin(box, len, v, len, NULL, &raw, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    raw < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		goto out;
	raw -= crypto_secretbox_NONCEBYTES;
	plain = xmalloc(raw - crypto_secretbox_MACBYTES + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain,
				       box + crypto_secretbox_NONCEBYTES, raw,
				       box, installed.box)) {
		free(plain);
		plain = NULL;
		goto out;
	}
	plain[raw - crypto_secretbox_MACBYTES] = '\0';
out:
	free(box);
	return plain;
}

void keys_seal_config(json_t *cfg)
{
	if (!have_keys || !json_is_object(cfg))
		return;
	for (size_t i = 0; i < sizeof(sealed_fields) / sizeof(*sealed_fields);
	     i++) {
		const char *v = json_string_value(json_object_get(
			cfg, sealed_fields[i]));
		const char *host, *path;
		char *sv;

		if (!v)
			continue;
		if (!strcmp(sealed_fields[i], "url")) {
			host = strstr(v, "://");
			path = host ? strchr(host + 3, '/') : NULL;
			json_object_set_new(cfg, "url_host", json_stringn(v,
				path ? (size_t)(path - v) : strlen(v)));
		}
		sv = seal(v);
		json_object_set_new(cfg, sealed_fields[i], json_string(sv));
		free(sv);
	}
}

int keys_open_config(json_t *cfg)
{
	int rc = 0;

	if (!json_is_object(cfg))
		return 0;
	json_object_del(cfg, "url_host");
	for (size_t i = 0; i < sizeof(sealed_fields) / sizeof(*sealed_fields);
	     i++) {
		const char *v = json_string_value(json_object_get(
			cfg, sealed_fields[i]));
		char *plain;

		if (!v || strncmp(v, SEALED, sizeof(SEALED) - 1))
			continue;
		plain = have_keys ? unseal(v + sizeof(SEALED) - 1) : NULL;
		if (!plain)
			rc = ERMS_EINVAL;
		json_object_set_new(cfg, sealed_fields[i],
				    json_string(plain ? plain : ""));
		if (plain)
			sodium_memzero(plain, strlen(plain));
		free(plain);
	}
	return rc;
}
