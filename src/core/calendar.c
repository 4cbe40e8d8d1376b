/*
 * calendar.c - Hinnant's date algorithms on int64 day counts
 * (https://howardhinnant.github.io/date_algorithms.html).
 *
 * An era is 400 years, 146097 days; the year of the algorithm starts on
 * March 1 so that the leap day is the last day of its year, and 719468 is
 * the day count of 1970-01-01 from 0000-03-01.
 */
#include "core/calendar.h"

int64_t cal_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void civil_from_ms(int64_t ms, struct civil_time *out)
{
	int64_t sec = cal_floor_div(ms, SECOND_MS);
	int64_t days = cal_floor_div(sec, 86400);
	int64_t sod = sec - days * 86400;

	civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(sod / 3600);
	out->min = (int)(sod / 60 % 60);
	out->sec = (int)(sod % 60);
	/* 1970-01-01 was a Thursday (4). */
	out->wday = (int)((days % 7 + 7 + 4) % 7);
}
