/*
 * pack-files.c - the emergency pack as files: a zip (libzip), a
 * directory replaced whole, and the check of a copy against its signed
 * manifest (app/pack.h).
 */
#define _GNU_SOURCE		/* renameat2 */
#include "app/pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "app/keys.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/xalloc.h"

#define PACK_FILE_MAX (64 * 1024 * 1024)	/* bytes one file may have */

int app_pack_zip(const struct pack *p, char **out, size_t *len,
		 struct errbuf *e)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_stat_t zs;
	zip_t *z;
	int rc = 0;

	*out = NULL;
	*len = 0;
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return err_ret(e, ERMS_EIO, "zip", "cannot make a zip");
	}
	/* The archive's bytes stay in src after zip_close(). */
	zip_source_keep(src);
	for (size_t i = 0; i < p->n && !rc; i++) {
		char name[sizeof(p->name) + sizeof(p->files[i].path) + 1];
		zip_source_t *fs = zip_source_buffer(z, p->files[i].data,
						     p->files[i].len, 0);

		snprintf(name, sizeof(name), "%s/%s", p->name,
			 p->files[i].path);
		if (!fs || zip_file_add(z, name, fs, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(fs);
			rc = ERMS_EIO;
		}
	}
	if (rc || zip_close(z) < 0) {
		zip_discard(z);
		zip_source_free(src);
		zip_error_fini(&ze);
		return err_ret(e, ERMS_EIO, "zip", "cannot make a zip");
	}
	if (zip_source_stat(src, &zs) < 0 || zip_source_open(src) < 0) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return err_ret(e, ERMS_EIO, "zip", "cannot read the zip");
	}
	*out = xmalloc(zs.size ? zs.size : 1);
	if (zip_source_read(src, *out, zs.size) != (zip_int64_t)zs.size) {
		free(*out);
		*out = NULL;
		rc = err_ret(e, ERMS_EIO, "zip", "cannot read the zip");
	} else {
		*len = zs.size;
	}
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

/* ---- a directory ------------------------------------------------------- */

/* "dir/name" into path (PATH_MAX bytes); -1 when it does not fit, so a
 * cut name never names another file. */
static int join(char path[PATH_MAX], const char *dir, const char *name)
{
	int n = snprintf(path, PATH_MAX, "%s/%s", dir, name);

	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

static int write_file(const char *dir, const struct pack_file *f)
{
	char path[PATH_MAX];
	int fd, rc = 0;

	if (join(path, dir, f->path))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, f->data, f->len) != (ssize_t)f->len || fsync(fd))
		rc = -1;
	if (close(fd))
		rc = -1;
	return rc;
}

/* Remove dir and the plain files in it (a pack has no sub-directory). */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!join(path, dir, de->d_name))
			unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int app_pack_write_dir(const struct pack *p, const char *dir,
		       struct errbuf *e)
{
	char tmp[PATH_MAX], old[PATH_MAX];
	struct stat sb;
	size_t l = strlen(dir);

	while (l > 1 && dir[l - 1] == '/')
		l--;
	snprintf(tmp, sizeof(tmp), "%.*s.new-%ld", (int)l, dir, (long)getpid());
	snprintf(old, sizeof(old), "%.*s.old-%ld", (int)l, dir, (long)getpid());
	remove_dir(tmp);
	if (mkdir(tmp, 0755))
		return err_ret(e, ERMS_EIO, "io_error", "cannot make '%s': %s",
			       tmp, strerror(errno));
	for (size_t i = 0; i < p->n; i++)
		if (write_file(tmp, &p->files[i])) {
			int err = errno;

			remove_dir(tmp);
			return err_ret(e, ERMS_EIO, "io_error",
				       "cannot write '%s' in '%s': %s",
				       p->files[i].path, tmp, strerror(err));
		}
	/* The whole new pack takes the old one's place in one step, so a
	 * reader of dir sees one pack or the other, never a mix. */
	if (!stat(dir, &sb)) {
		if (!S_ISDIR(sb.st_mode)) {
			remove_dir(tmp);
			return err_ret(e, ERMS_EIO, "io_error",
				       "'%s' is not a directory", dir);
		}
		if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE)) {
			remove_dir(tmp);	/* now the old pack */
			return 0;
		}
		/* No exchange on this file system: the old one steps
		 * aside first. */
		if (rename(dir, old)) {
			remove_dir(tmp);
			return err_ret(e, ERMS_EIO, "io_error",
				       "cannot replace '%s': %s", dir,
				       strerror(errno));
		}
	}
	if (rename(tmp, dir)) {
		int err = errno;

		rename(old, dir);
		remove_dir(tmp);
		return err_ret(e, ERMS_EIO, "io_error", "cannot write '%s': %s",
			       dir, strerror(err));
	}
	remove_dir(old);
	return 0;
}

/* ---- verifying ---------------------------------------------------------- */

/* The file dir/name into *out (*len bytes; free() it); -1 with errno. */
static int slurp(const char *dir, const char *name, char **out, size_t *len)
{
	char path[PATH_MAX];
	struct stat sb;
	FILE *f;

	*out = NULL;
	*len = 0;
	if (join(path, dir, name) || !(f = fopen(path, "rb")))
		return -1;
	if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size > PACK_FILE_MAX) {
		fclose(f);
		errno = EINVAL;
		return -1;
	}
	*out = xmalloc((size_t)sb.st_size + 1);
	*len = fread(*out, 1, (size_t)sb.st_size, f);
	(*out)[*len] = 0;
	fclose(f);
	return 0;
}

/* A name the manifest may list: a plain file name of this directory. */
static bool plain_name(const char *s)
{
	return *s && *s != '.' && !strchr(s, '/') && !strchr(s, '\\') &&
	       strlen(s) < 64;
}

static int fail(struct errbuf *e, const char *file, const char *fmt,
		const char *why)
{
	err_fail(e, ERMS_ECONFLICT, file, fmt, file, why);
	snprintf(e->code, sizeof(e->code), "pack_invalid");
	return ERMS_ECONFLICT;
}

static int check_files(const char *dir, const json_t *files, struct errbuf *e)
{
	const json_t *f;
	size_t i;

	json_array_foreach(files, i, f) {
		const char *path = json_string_value(json_object_get(f, "path"));
		const char *sum = json_string_value(json_object_get(f, "sha256"));
		json_int_t bytes = json_integer_value(json_object_get(f, "bytes"));
		char got[SHA256_HEX_LEN], *data;
		size_t len;

		if (!path || !sum || !plain_name(path))
			return fail(e, "manifest.json", "%s: %s",
				    "a file entry is malformed");
		if (slurp(dir, path, &data, &len))
			return fail(e, path, "%s: %s", errno == ENOENT
				    ? "missing" : "cannot be read");
		sha256_hex(data, len, got);
		free(data);
		if ((json_int_t)len != bytes)
			return fail(e, path, "%s: %s",
				    "its size differs from the manifest's");
		if (strcmp(got, sum))
			return fail(e, path, "%s: %s",
				    "its SHA-256 differs from the manifest's "
				    "(the file was changed)");
	}
	return 0;
}

static bool listed(const json_t *files, const char *name)
{
	const json_t *f;
	size_t i;

	if (!strcmp(name, "manifest.json") || !strcmp(name, "manifest.sig"))
		return true;
	json_array_foreach(files, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));

		if (p && !strcmp(p, name))
			return true;
	}
	return false;
}

static int check_extra(const char *dir, const json_t *files,
		       struct errbuf *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return err_ret(e, ERMS_EIO, "io_error", "cannot read '%s': %s",
			       dir, strerror(errno));
	while (!rc && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    !listed(files, de->d_name))
			rc = fail(e, de->d_name, "%s: %s",
				  "is not in the manifest (a file was added)");
	closedir(d);
	return rc;
}

int app_pack_verify(const char *dir, const unsigned char *want,
		    unsigned char pk[32], struct errbuf *e)
{
	char *man = NULL, *sig = NULL;
	size_t man_len, sig_len;
	json_t *m = NULL;
	const char *hex;
	int rc = 0;

	memset(pk, 0, 32);
	if (slurp(dir, "manifest.json", &man, &man_len)) {
		rc = errno == ENOENT ? fail(e, "manifest.json", "%s: %s",
					    "missing")
				     : err_ret(e, ERMS_EIO, "io_error",
					       "cannot read '%s/manifest.json'",
					       dir);
		goto out;
	}
	if (slurp(dir, "manifest.sig", &sig, &sig_len)) {
		rc = fail(e, "manifest.sig", "%s: %s", "missing");
		goto out;
	}
	m = json_loadb(man, man_len, 0, NULL);
	hex = json_string_value(json_object_get(m, "key"));
	if (!m || json_integer_value(json_object_get(m, "pack")) != 1 ||
	    !json_is_array(json_object_get(m, "files")) || !hex ||
	    sodium_hex2bin(pk, 32, hex, strlen(hex), NULL, NULL, NULL)) {
		rc = fail(e, "manifest.json", "%s: %s",
			  "not a pack manifest (edited, or broken)");
		goto out;
	}
	if (sig_len != crypto_sign_BYTES ||
	    crypto_sign_verify_detached((unsigned char *)sig,
					(unsigned char *)man, man_len, pk)) {
		rc = fail(e, "manifest.json", "%s: %s",
			  "its signature (manifest.sig) does not verify: "
			  "the manifest or the signature was changed");
		goto out;
	}
	if (want && sodium_memcmp(want, pk, 32)) {
		rc = fail(e, "manifest.json", "%s: %s",
			  "signed by another key than this installation's");
		goto out;
	}
	rc = check_files(dir, json_object_get(m, "files"), e);
	if (!rc)
		rc = check_extra(dir, json_object_get(m, "files"), e);
out:
	json_decref(m);
	free(man);
	free(sig);
	return rc;
}

/* ---- local commands ---------------------------------------------------- */

/* The key file of db, which must be the one the database is bound to. */
static int local_keys(struct store *st, const char *db, const char *key_path,
		      struct keys *k, struct errbuf *e)
{
	char kp[PATH_MAX], fp[65];
	int64_t plain;
	int rc;

	if (!key_path) {
		keys_default_path(db, kp, sizeof(kp));
		key_path = kp;
	}
	rc = keys_load(key_path, false, k, e);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(e, rc, "not_found",
			       "key file '%s' does not exist: give --key",
			       key_path);
	if (rc)
		return rc;
	rc = store_audit_key(st, fp, &plain);
	if (rc == ERMS_ENOTFOUND)
		return 0;	/* no key bound yet: this one will be */
	if (rc)
		return err_ret(e, rc, "store",
			       "cannot read the database's key binding");
	if (strcmp(fp, k->fp))
		return err_ret(e, ERMS_EINVAL, "bad_request",
			       "key file '%s' (key %.16s) is not this "
			       "database's key (%.16s)", key_path, k->fp, fp);
	return 0;
}

int app_pack_local(const char *db, const char *key_path, const char *dir,
		   int64_t now_ms, struct pack *out, enum app_db_stage *stage,
		   struct errbuf *e)
{
	struct store *st;
	struct keys k;
	int rc = app_db_open(db, false, &st, stage, e);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	*stage = APP_DB_KEY;
	rc = local_keys(st, db, key_path, &k, e);
	if (!rc) {
		*stage = APP_DB_WORK;
		rc = app_pack_build(st, &k, now_ms, out, e);
	}
	store_close(st);
	sodium_memzero(&k, sizeof(k));
	if (!rc)
		rc = app_pack_write_dir(out, dir, e);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}

int app_pack_local_key(const char *db, const char *key_path,
		       unsigned char pk[32], enum app_db_stage *stage,
		       struct errbuf *e)
{
	struct store *st;
	struct keys k;
	int rc;

	*stage = APP_DB_KEY;
	if (!db) {	/* a key file alone: no database to match it with */
		rc = keys_load(key_path, false, &k, e);
		goto done;
	}
	rc = app_db_open(db, false, &st, stage, e);
	if (rc)
		return rc;
	*stage = APP_DB_KEY;
	rc = local_keys(st, db, key_path, &k, e);
	store_close(st);
done:
	if (!rc) {
		app_pack_public_key(&k, pk);
		*stage = APP_DB_DONE;
	}
	sodium_memzero(&k, sizeof(k));
	return rc;
}
