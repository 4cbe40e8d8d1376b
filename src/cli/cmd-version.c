/*
 * cmd-version.c - erms version / erms --version.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>

static int version_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("erms %s\n", ERMS_VERSION);
	printf("libmicrohttpd %s, jansson %s, sqlite %s, libpq %s\n",
	       MHD_get_version(), jansson_version_str(),
	       app_db_engine_version("sqlite"),
	       app_db_engine_version("postgres"));
	return 0;
}

const struct cli_cmd cmd_version = {
	.name = "version",
	.usage = "erms version",
	.summary_en = "Print the version of erms and its libraries",
	.summary_zh = "显示 erms 及其依赖库的版本",
	.run = version_run,
};
