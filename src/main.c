/*
 * main.c - erms: emergency response management.
 *
 * Process-wide set-up that must happen before any thread starts, then
 * the command table in cli/cli.c does the rest.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "util/crypto.h"

int main(int argc, char **argv)
{
	if (crypto_init()) {
		fputs("erms: cannot initialise libsodium\n", stderr);
		return 1;
	}
	return cli_main(argc, argv);
}
