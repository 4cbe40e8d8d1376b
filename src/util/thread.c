/*
 * thread.c - naming the calling thread (Linux: prctl PR_SET_NAME).
 */
#include "util/thread.h"

#include <sys/prctl.h>

void thread_name(const char *name)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
}
