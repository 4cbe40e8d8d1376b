/*
 * search-time.c - how long a search takes through the store, the same
 * way on either engine: `erms-bench-search DB Q...` runs each query's
 * first page (51 rows, as the console asks) ten times on database DB
 * (a file or a postgres:// URL, seeded by erms-bench-seed) and prints
 * the rows and the best and median times. The first run of each is
 * left out (it prepares the statement).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"
#include "util/crypto.h"

#define RUNS 10

static int count(void *ctx, const struct incident_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct store *st;
	struct errbuf e = { 0 };

	if (argc < 3) {
		fprintf(stderr, "usage: erms-bench-search DB Q...\n");
		return 2;
	}
	crypto_init();
	if (store_open(&st, argv[1], STORE_READONLY, &e)) {
		fprintf(stderr, "erms-bench-search: %s\n", e.msg);
		return 1;
	}
	for (int a = 2; a < argc; a++) {
		struct incident_filter f = { .is_drill = -1, .limit = 51,
					     .q = argv[a] };
		double t[RUNS];
		int n = 0;

		for (int r = 0; r <= RUNS; r++) {
			double t0 = now_ms();

			n = 0;
			if (store_incident_list(st, &f, count, &n)) {
				fprintf(stderr, "erms-bench-search: q=%s"
					" failed\n", argv[a]);
				store_close(st);
				return 1;
			}
			if (r)
				t[r - 1] = now_ms() - t0;
		}
		qsort(t, RUNS, sizeof(*t), cmp);
		printf("q=%s\trows=%d\tbest=%.2f ms\tmedian=%.2f ms\n",
		       argv[a], n, t[0], t[RUNS / 2]);
	}
	store_close(st);
	return 0;
}
