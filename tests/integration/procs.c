/* The laris-api processes of the stack under test, read from /proc. */
#include "procs.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void itest_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int itest_api_workers_of(pid_t master, pid_t *pids, int max)
{
    DIR *proc = opendir("/proc");
    cr_assert_not_null(proc);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        char path[64], stat[512];
        snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue; /* gone meanwhile */
        size_t len = fread(stat, 1, sizeof(stat) - 1, f);
        fclose(f);
        stat[len] = '\0';
        const char *after_name = strrchr(stat, ')'); /* the name may hold spaces and parens */
        char state;
        int ppid;
        if (!after_name || sscanf(after_name + 1, " %c %d", &state, &ppid) != 2)
            continue;
        if (ppid == master && state != 'Z' && n < max)
            pids[n++] = (pid_t)pid;
    }
    closedir(proc);
    return n;
}

bool itest_has_pid(const pid_t *pids, int n, pid_t pid)
{
    for (int i = 0; i < n; i++)
        if (pids[i] == pid)
            return true;
    return false;
}

pid_t itest_api_master(void)
{
    const char *pidfile = getenv("LARIS_API_PIDFILE");
    cr_assert(pidfile && pidfile[0], "LARIS_API_PIDFILE is not set: is the test stack up?");
    FILE *f = fopen(pidfile, "r");
    cr_assert_not_null(f, "cannot read %s", pidfile);
    long pid = 0;
    int got = fscanf(f, "%ld", &pid);
    fclose(f);
    cr_assert(got == 1 && pid > 1, "no pid in %s", pidfile);
    cr_assert_eq(kill((pid_t)pid, 0), 0, "laris-api master %ld is not running", pid);
    return (pid_t)pid;
}
