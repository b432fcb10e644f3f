/* reports/gnuplot.c — start gnuplot as a child process (posix_spawnp, no shell).
 *
 * The script is a file named on gnuplot's command line rather than piped to its stdin: no pipe
 * means a gnuplot that dies early cannot raise SIGPIPE in the harness, and a script file runs in
 * batch mode, where gnuplot stops at the first error with status 1 (from stdin it would carry on
 * and report a later, misleading error). Its messages go to a log file, whose last line
 * (gnuplot's error message) becomes the note when a figure fails. A figure takes well under a second, so a
 * child still running after the timeout is hung (e.g. waiting on a terminal) and is killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reports/report.h"

extern char **environ;

/* Exit status 127 is what a spawn-by-fork implementation reports when exec fails. */
enum { EXIT_NOT_FOUND = 127 };

const char *rep_gnuplot_program(void)
{
    const char *p = getenv("THEORYCHECK_GNUPLOT");
    return p && *p ? p : "gnuplot";
}

/* Wait for pid, killing it after timeout_s. Returns the wait status, or -1 if killed. */
static int wait_child(pid_t pid, double timeout_s)
{
    struct timespec step = {0, 5 * 1000 * 1000}; /* 5 ms */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)(t.tv_sec - t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - t0.tv_nsec) > timeout_s) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        nanosleep(&step, NULL);
    }
}

/* First non-empty line of text into out (trimmed). */
static void first_line(const char *text, char *out, size_t outlen)
{
    while (*text == '\n' || *text == '\r' || *text == ' ' || *text == '\t')
        text++;
    size_t n = strcspn(text, "\r\n");
    snprintf(out, outlen, "%.*s", (int)n, text);
}

/* Last non-empty line of text into out (trimmed): gnuplot echoes the failing command and a
 * caret line first, and the message ("line 7: undefined function: foo") last. */
static void last_line(const char *text, char *out, size_t outlen)
{
    const char *best = text;
    for (const char *p = text; *p;) {
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        size_t n = strcspn(q, "\r\n");
        if (n > 0)
            best = q;
        p = q + n;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    first_line(best, out, outlen);
}

int rep_gnuplot_probe(char *ver, size_t verlen)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    const char *prog = rep_gnuplot_program();
    char *argv[] = {(char *)prog, (char *)"--version", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return -1;
    }
    char text[256];
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fds[0], text + n, sizeof text - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == sizeof text - 1) {
            char sink[256]; /* drain the rest so the child can exit */
            while (read(fds[0], sink, sizeof sink) > 0)
                ;
            break;
        }
    }
    text[n] = '\0';
    close(fds[0]);
    int status = wait_child(pid, 30.0);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    first_line(text, ver, verlen);
    return 0;
}

int rep_gnuplot_run(const char *script_path, const char *log_path, double timeout_s,
                    char *err, size_t errlen)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    const char *prog = rep_gnuplot_program();
    /* A relative path starting with '-' would read as an option. */
    char *dotted = NULL;
    if (script_path[0] == '-') {
        dotted = cm_join(".", script_path);
        if (!dotted) {
            posix_spawn_file_actions_destroy(&fa);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    char *argv[] = {(char *)prog, dotted ? dotted : (char *)script_path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    free(dotted);
    if (rc == ENOENT || rc == EACCES) {
        snprintf(err, errlen, "%s not found", prog);
        return 1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot start %s: %s", prog, strerror(rc));
        return -1;
    }
    int status = wait_child(pid, timeout_s);
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOT_FOUND) {
        snprintf(err, errlen, "%s not found", prog);
        return 1;
    }
    char *log = cm_read_file(log_path, NULL);
    char line[200] = "";
    if (log)
        last_line(log, line, sizeof line);
    free(log);
    if (status == -1)
        snprintf(err, errlen, "gnuplot killed after %.0f s", timeout_s);
    else if (*line)
        snprintf(err, errlen, "gnuplot: %s", line);
    else
        snprintf(err, errlen, "gnuplot failed (status %d)", status);
    return -1;
}
