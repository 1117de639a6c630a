/* The processes of the stack under test: laris-api's (from /proc), laris-worker, and the
 * PostgreSQL and Redis servers the fault tests stop and start. */
#include "procs.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

void itest_stack_service(const char *service, const char *action)
{
    const char *dir = getenv("LARIS_STACK_DIR");
    cr_assert(dir && *dir, "LARIS_STACK_DIR is not set (source the stack.env)");
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        execl("/bin/bash", "bash", "-c",
              "source \"$0/scripts/lib/stack.sh\" && laris_stack_service \"$1\" \"$2\" \"$3\"",
              LARIS_SOURCE_DIR, dir, service, action, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s %s failed", action, service);
}

pid_t itest_worker_pid(void)
{
    const char *dir = getenv("LARIS_STACK_DIR");
    cr_assert(dir && *dir, "LARIS_STACK_DIR is not set (source the stack.env)");
    char path[512];
    snprintf(path, sizeof(path), "%s/run/laris-worker.pid", dir);
    long pid = 0;
    for (int i = 0; i < 100 && pid <= 1; i++) { /* a new worker writes it once started */
        FILE *f = fopen(path, "r");
        if (f) {
            if (fscanf(f, "%ld", &pid) != 1)
                pid = 0;
            fclose(f);
        }
        if (pid <= 1)
            itest_sleep_ms(100);
    }
    cr_assert(pid > 1, "no pid in %s", path);
    cr_assert_eq(kill((pid_t)pid, 0), 0, "laris-worker %ld is not running", pid);
    return (pid_t)pid;
}

/* The NUL-separated environment of pid as a NULL-terminated array (static: valid until the
 * next call); without LARIS_WORKER_PIDFILE when drop_pidfile. */
static char **environment_of(pid_t pid, bool drop_pidfile)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot read %s", path);
    static char data[65536];
    size_t len = fread(data, 1, sizeof(data) - 1, f);
    fclose(f);
    data[len] = '\0';
    static char *env[1024];
    size_t n = 0;
    for (size_t i = 0; i < len && n < 1023; i += strlen(data + i) + 1)
        if (!drop_pidfile || strncmp(data + i, "LARIS_WORKER_PIDFILE=", 21) != 0)
            env[n++] = data + i;
    env[n] = NULL;
    return env;
}

pid_t itest_worker_spawn(pid_t like, bool take_pidfile)
{
    char link[64], exe[1024], cwd[1024], log[1024];
    snprintf(link, sizeof(link), "/proc/%d/exe", (int)like);
    ssize_t n = readlink(link, exe, sizeof(exe) - 1);
    cr_assert_gt(n, 0, "cannot read %s", link);
    exe[n] = '\0';
    snprintf(link, sizeof(link), "/proc/%d/cwd", (int)like);
    n = readlink(link, cwd, sizeof(cwd) - 1);
    cr_assert_gt(n, 0, "cannot read %s", link);
    cwd[n] = '\0';
    snprintf(log, sizeof(log), "%s/log/laris-worker.log", getenv("LARIS_STACK_DIR"));
    char **env = environment_of(like, !take_pidfile);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setsid();
        int out = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out < 0 || in < 0 || chdir(cwd) != 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        for (int fd = 3; fd < 1024; fd++) /* not Criterion's pipes: its runner waits on them */
            close(fd);
        char *argv[] = {exe, NULL};
        execve(exe, argv, env);
        _exit(127);
    }
    return pid;
}
