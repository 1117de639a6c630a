/* The prefork master: starts N worker processes, replaces crashed ones, drains on SIGTERM and
 * replaces workers one by one on SIGHUP. */
#ifndef LARIS_PREFORK_H
#define LARIS_PREFORK_H

typedef struct {
    int workers;         /* how many worker processes to keep */
    const char *pidfile; /* written with the master's pid; removed at exit; may be NULL */
    /* The body of one worker; its return value is the worker's exit status. */
    int (*worker_main)(void *arg);
    void *arg;
    int drain_seconds; /* how long SIGTERM waits for workers before SIGKILL; default 10 */
} laris_prefork_opts_t;

/* Runs the master until SIGTERM or SIGINT; returns the process exit status. */
int laris_prefork_run(const laris_prefork_opts_t *opts);

#endif
