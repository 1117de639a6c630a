/* The laris-api processes of the stack under test: its master and workers, from /proc. */
#ifndef ITEST_PROCS_H
#define ITEST_PROCS_H

#include <stdbool.h>
#include <sys/types.h>

#define ITEST_MAX_WORKERS 256

/* The master's pid from LARIS_API_PIDFILE; fails the test when it is not running. */
pid_t itest_api_master(void);

/* The live (not zombie) children of master, into pids; returns how many. */
int itest_api_workers_of(pid_t master, pid_t *pids, int max);

bool itest_has_pid(const pid_t *pids, int n, pid_t pid);

/* Sleeps ms milliseconds. */
void itest_sleep_ms(long ms);

#endif
