/* The processes of the stack under test: laris-api's master and workers (from /proc), its
 * laris-worker, and its PostgreSQL and Redis servers (stopped and started for fault tests). */
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

/* Stops or starts one backing server of the stack under test ($LARIS_STACK_DIR): service
 * "postgres" or "redis", action "stop" or "start" (scripts/lib/stack.sh). Fails the test when
 * that fails. */
void itest_stack_service(const char *service, const char *action);

/* The stack's laris-worker (its pid file); fails the test when it is not running. */
pid_t itest_worker_pid(void);

/* Starts another laris-worker with the binary, directory and environment of process like, in
 * a session of its own, appending to the stack's worker log. With take_pidfile it becomes the
 * stack's worker (it writes the pid file the stack stops); without, the caller stops it. */
pid_t itest_worker_spawn(pid_t like, bool take_pidfile);

/* Sleeps ms milliseconds. */
void itest_sleep_ms(long ms);

#endif
