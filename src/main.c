/*
 * main.c - erms: emergency response management.
 *
 * Process-wide set-up that must happen before any thread starts, then
 * the command table in cli/cli.c does the rest.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "util/crypto.h"

int main(int argc, char **argv)
{
	int rc;

	/* Every file erms makes (the database and its -wal and -shm files,
	 * backups, the key and anchor files) is for its owner only. */
	umask(077);
	if (crypto_init() || curl_global_init(CURL_GLOBAL_DEFAULT)) {
		fputs("erms: cannot initialise libsodium or libcurl\n", stderr);
		return 1;
	}
	rc = cli_main(argc, argv);
	curl_global_cleanup();
	return rc;
}
