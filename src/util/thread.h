/*
 * thread.h - naming the calling thread, so that top -H, perf and the
 * bench's per-thread CPU (/proc/PID/task/TID/comm) tell them apart.
 */
#ifndef ERMS_UTIL_THREAD_H
#define ERMS_UTIL_THREAD_H

/* Up to 15 bytes are kept; a longer name is cut. */
void thread_name(const char *name);

#endif
