/* harness/outdir.c — see outdir.h. The run's output directory, replaced whole or not at all.
 *
 * The switch. The record is written into PARENT/.NAME.staging.<pid> (same file system as
 * --out, so rename works) and then swapped with --out by renameat2(RENAME_EXCHANGE): one
 * atomic step after which --out is the new directory and the staging name holds the old one,
 * which is then deleted. A crash at any instant therefore leaves at --out either the previous
 * complete record (before the exchange) or the new complete one (after it); what is left beside
 * it (a staging directory, or the old record under the staging name) carries a dead run's pid
 * and is removed by the next run into the same --out. A first run has no --out to exchange
 * with and renames the staging directory into place, equally atomic. --out stays an ordinary
 * directory (no symbolic link to versions), and every link inside it is relative, so a record
 * reads the same wherever it is moved. On a file system without RENAME_EXCHANGE (EINVAL) the
 * switch falls back to two renames, --out to PARENT/.NAME.old.<pid> and staging to --out: a
 * crash between them leaves no --out but the previous record complete under the .old name,
 * which the next run puts back before anything else.
 * Directories are fsynced before and after, so a power loss does not reorder the switch before
 * the files it publishes.
 *
 * Signals. Until publishing starts the staging directory is empty and nothing writes to it
 * (claims do no I/O), so the SIGINT/SIGTERM handler does the cleanup itself with
 * async-signal-safe calls only: rmdir, write, _exit. The record is written by a child process
 * in its own process group (it and its gnuplot children); from fork to the end the handler
 * only records the signal and kills that group (kill, async-signal-safe), and the parent,
 * back from waitpid in ordinary context, removes the staging tree and prints the message.
 * Nothing can write into the staging directory while it is removed: its writers are dead.
 * The child dies with the parent (PR_SET_PDEATHSIG), so a kill -9 of the run does not leave
 * a writer holding the lock.
 */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE (glibc >= 2.28, Linux >= 3.15) */
#include "harness/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "common/atomic.h"
#include "common/buf.h"
#include "harness/exitcodes.h"

/* Room kept below PATH_MAX for the record's own relative names under the staging directory
 * ("figures/<claim>-<plot>.svg.part.tmp.<pid>"; claim ids and plot names are short words): a
 * longer --out is refused before work instead of failing on the last figure. */
enum { REL_RESERVE = 256 };

/* ---- checks ------------------------------------------------------------------------------ */

static char *str_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *str_printf(const char *fmt, ...)
{
    cm_buf s = {0};
    va_list ap;
    va_start(ap, fmt);
    cm_buf_vprintf(&s, fmt, ap);
    va_end(ap);
    if (s.oom) {
        cm_buf_free(&s);
        return NULL;
    }
    return s.s;
}

/* The entries a run writes; anything else in an existing --out is the user's, not ours. */
static int own_entry(const char *name)
{
    static const char *const files[] = {"results.json", "junit.xml", "report.md",
                                        "report.html", "data", "figures"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strcmp(name, files[i]) == 0)
            return 1;
    /* temporary files an interrupted run of an older version left under their final names */
    return strstr(name, ".tmp.") != NULL;
}

/* The entries of a sweep directory that must be directories when present. */
static int sweep_dir_entry(const char *name)
{
    return strcmp(name, "data") == 0 || strcmp(name, "figures") == 0 ||
           strcmp(name, "cells") == 0;
}

/* An existing --out must be a writable record (or sweep) directory; 0 or -1 after one
 * message. */
static int check_existing(const hx_outdir *d)
{
    struct stat st;
    if (stat(d->out, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "theorycheck: --out %s exists and is not a directory\n", d->shown);
        return -1;
    }
    /* No write bit at all is refused even for root: chmod 555 says "keep this". */
    if ((st.st_mode & 0222) == 0 || access(d->out, W_OK | X_OK) != 0) {
        fprintf(stderr, "theorycheck: --out %s is not writable\n", d->shown);
        return -1;
    }
    DIR *dir = opendir(d->out);
    if (!dir) {
        fprintf(stderr, "theorycheck: --out %s cannot be read: %s\n", d->shown,
                strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        int sweep = d->kind == HX_OUT_SWEEP;
        if (!sweep && !own_entry(n)) {
            fprintf(stderr,
                    "theorycheck: --out %s holds '%s', which is not part of a record: a run "
                    "replaces the whole directory, so give a new or empty one\n",
                    d->shown, n);
            rc = -1;
        } else if (sweep_dir_entry(n)) {
            struct stat es;
            if (fstatat(dirfd(dir), n, &es, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(es.st_mode)) {
                fprintf(stderr, "theorycheck: --out %s: '%s' is not a directory\n", d->shown,
                        n);
                rc = -1;
            }
        }
    }
    closedir(dir);
    return rc;
}

/* Fill out, parent and name from --out: an existing directory by its real path (a symbolic
 * link is followed, so the link stays and its target is replaced), checked; otherwise as
 * written. 0 or -1 after one message. */
static int resolve(hx_outdir *d, const char *out)
{
    char *s = strdup(out);
    if (!s)
        return fprintf(stderr, "theorycheck: out of memory\n"), -1;
    for (size_t n = strlen(s); n > 1 && s[n - 1] == '/'; n--)
        s[n - 1] = '\0';
    struct stat st;
    d->existed = stat(s, &st) == 0;
    if (d->existed) {
        free(s);
        s = realpath(out, NULL);
        if (!s) {
            fprintf(stderr, "theorycheck: --out %s: %s\n", d->shown, strerror(errno));
            return -1;
        }
    }
    char *slash = strrchr(s, '/');
    d->name = strdup(slash ? slash + 1 : s);
    d->parent = slash ? (slash == s ? strdup("/") : strndup(s, (size_t)(slash - s)))
                      : strdup(".");
    d->out = s;
    if (!d->name || !d->parent)
        return fprintf(stderr, "theorycheck: out of memory\n"), -1;
    if (!*d->name || strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0) {
        fprintf(stderr, "theorycheck: --out %s: give a directory by its name (a run replaces "
                        "it whole)\n", d->shown);
        return -1;
    }
    return d->existed ? check_existing(d) : 0;
}

/* ---- the lock and the leftovers ---------------------------------------------------------- */

/* Take parent/.name.lock (flock: the kernel drops it when the holder dies, so a lock is never
 * stale) and write our pid into it for the message of a refused run. 0 or -1 after a
 * message. */
static int lock_out(hx_outdir *d)
{
    d->lock_fd = open(d->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (d->lock_fd < 0) {
        fprintf(stderr, "theorycheck: --out %s: cannot create %s: %s\n", d->shown, d->lock,
                strerror(errno));
        return -1;
    }
    if (flock(d->lock_fd, LOCK_EX | LOCK_NB) == 0) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(d->lock_fd, 0) != 0 || pwrite(d->lock_fd, pid, (size_t)n, 0) != n)
            (void)0; /* the pid only serves a message */
        return 0;
    }
    if (errno != EWOULDBLOCK) {
        fprintf(stderr, "theorycheck: --out %s: cannot lock %s: %s\n", d->shown, d->lock,
                strerror(errno));
        return -1;
    }
    /* The holder writes its pid just after taking the lock: give it a moment. */
    char pid[32] = "";
    for (int tries = 0; tries < 50 && !pid[0]; tries++) {
        ssize_t r = pread(d->lock_fd, pid, sizeof pid - 1, 0);
        pid[r > 0 ? r : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        if (!pid[0])
            nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    fprintf(stderr, "theorycheck: --out %s is in use by pid %s\n", d->shown,
            pid[0] ? pid : "(unknown)");
    return -1;
}

/* Is `entry` prefix followed by digits only (a pid)? */
static int is_leftover(const char *entry, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(entry, prefix, n) != 0 || !entry[n])
        return 0;
    return strspn(entry + n, "0123456789") == strlen(entry + n);
}

/* Remove the staging and old directories killed runs left beside --out. Called with the lock
 * held, so none of them belongs to a live run. An old directory while --out is missing is the
 * previous record of a run killed between the two renames of the fallback switch: it is put
 * back at --out instead. */
static void remove_leftovers(hx_outdir *d)
{
    char *staging = str_printf(".%s.staging.", d->name);
    char *old = str_printf(".%s.old.", d->name);
    DIR *dir = staging && old ? opendir(d->parent) : NULL;
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (!is_leftover(e->d_name, staging) && !is_leftover(e->d_name, old))
            continue;
        char *path = cm_join(d->parent, e->d_name);
        if (path && !d->existed && is_leftover(e->d_name, old) && rename(path, d->out) == 0)
            d->existed = 1;
        else if (path && cm_remove_tree(path) != 0)
            fprintf(stderr, "theorycheck: note: cannot remove %s, left by a killed run: %s\n",
                    path, strerror(errno));
        free(path);
    }
    if (dir)
        closedir(dir);
    free(staging);
    free(old);
}

static void outdir_guard(hx_outdir *d);
static void block_signals(int how)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    pthread_sigmask(how, &s, NULL);
}

static int outdir_open(hx_outdir *d, const char *out, hx_out_kind kind)
{
    *d = (hx_outdir){.kind = kind, .shown = out, .lock_fd = -1};
    if (!out || !*out) {
        fprintf(stderr, "theorycheck: --out needs a directory\n");
        return -1;
    }
    if (resolve(d, out) != 0)
        return -1;
    /* d->staging is set only once the directory exists: hx_outdir_close removes it. */
    char *staging = str_printf("%s/.%s.staging.%ld", d->parent, d->name, (long)getpid());
    d->lock = str_printf("%s/.%s.lock", d->parent, d->name);
    if (!staging || !d->lock) {
        free(staging);
        fprintf(stderr, "theorycheck: out of memory\n");
        return -1;
    }
    size_t len = strlen(staging), max = PATH_MAX - 1 - REL_RESERVE;
    if (len > max) {
        fprintf(stderr, "theorycheck: --out %s is too long: %zu characters with the staging "
                        "name, at most %zu\n", d->shown, len, max);
        free(staging);
        return -1;
    }
    if (!d->existed && cm_mkdirs(d->parent) != 0) {
        fprintf(stderr, "theorycheck: --out %s: cannot create the directory: %s\n", d->shown,
                strerror(errno));
        free(staging);
        return -1;
    }
    if (lock_out(d) != 0) {
        free(staging);
        return -1;
    }
    remove_leftovers(d);
    /* From the staging directory's birth to the guard's handler, a SIGINT/SIGTERM waits: it
     * would otherwise take the default action and leave the staging directory behind. */
    block_signals(SIG_BLOCK);
    if (mkdir(staging, 0777) != 0) {
        fprintf(stderr, "theorycheck: --out %s: cannot create %s: %s\n", d->shown, staging,
                strerror(errno));
        block_signals(SIG_UNBLOCK);
        free(staging);
        return -1;
    }
    d->staging = staging;
    return 0;
}

int hx_outdir_open(hx_outdir *d, const char *out)
{
    if (outdir_open(d, out, HX_OUT_RUN) != 0)
        return -1;
    outdir_guard(d);
    block_signals(SIG_UNBLOCK);
    return 0;
}

int hx_outdir_open_sweep(hx_outdir *d, const char *out)
{
    if (outdir_open(d, out, HX_OUT_SWEEP) != 0)
        return -1;
    char *cells = cm_join(d->out, "cells");
    int rc = 0;
    if (!cells || cm_mkdirs(cells) != 0) {
        fprintf(stderr, "theorycheck: --out %s: cannot create the directory: %s\n", d->shown,
                cells ? strerror(errno) : "out of memory");
        rc = -1;
    } else {
        outdir_guard(d);
    }
    free(cells);
    block_signals(SIG_UNBLOCK);
    return rc;
}

/* ---- signals ----------------------------------------------------------------------------- */

enum { PH_OFF, PH_CLAIMS, PH_PUBLISH, PH_AFTER };

static volatile sig_atomic_t g_phase;  /* PH_*: what the handler may do */
static volatile sig_atomic_t g_signal; /* first SIGINT/SIGTERM seen while publishing, or 0 */
static volatile sig_atomic_t g_child;  /* the writer's pid (and process group), or 0 */
static const char *g_staging;          /* for rmdir in the handler */
static char *g_msg[2];                 /* "interrupted" lines for SIGINT, SIGTERM */
static struct sigaction g_old[2];

static int sig_index(int sig)
{
    return sig == SIGINT ? 0 : 1;
}

/* Async-signal-safe only: rmdir, write, _exit, kill. */
static void on_signal(int sig)
{
    int saved = errno;
    if (g_phase == PH_CLAIMS) {
        /* Empty until publishing: rmdir removes it. The lock goes with the process. */
        rmdir(g_staging);
        const char *m = g_msg[sig_index(sig)];
        if (m && write(2, m, strlen(m)) < 0)
            (void)0;
        _exit(128 + sig);
    }
    if (!g_signal)
        g_signal = sig;
    if (g_phase == PH_PUBLISH && g_child > 0)
        kill(-(pid_t)g_child, SIGKILL);
    errno = saved;
}

static void outdir_guard(hx_outdir *d)
{
    g_staging = d->staging;
    for (int i = 0; i < 2; i++) {
        const char *sig = i == 0 ? "SIGINT" : "SIGTERM";
        g_msg[i] = d->kind == HX_OUT_SWEEP
                       ? str_printf("theorycheck: interrupted (%s): the finished cells are kept "
                                    "in %s and its summary is unchanged; the same command "
                                    "resumes\n", sig, d->shown)
                       : str_printf("theorycheck: interrupted (%s), %s unchanged\n", sig,
                                    d->shown);
    }
    g_signal = 0;
    g_child = 0;
    g_phase = PH_CLAIMS;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT); /* one handler at a time */
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, &g_old[0]);
    sigaction(SIGTERM, &sa, &g_old[1]);
}


/* ---- writing and the switch ------------------------------------------------------------- */

/* The child: its own process group (so one kill reaches it and its gnuplot children), dies
 * with the parent, default signal actions. Writes the record and exits 0 or 3. */
static void writer(const hx_outdir *d, pid_t parent, hx_outdir_write_fn fn, void *arg)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(HX_EXIT_INTERNAL); /* the parent died before PDEATHSIG was armed */
    block_signals(SIG_UNBLOCK);
    char err[PATH_MAX + 512];
    int rc = fn(d->staging, arg, err, sizeof err);
    if (rc)
        fprintf(stderr, "theorycheck: %s; %s unchanged\n", err, d->shown);
    fflush(NULL);
    _exit(rc ? HX_EXIT_INTERNAL : 0); /* the parent owns and frees the memory */
}

/* fsync a directory if it exists: its entries reach the disk before the switch names them. */
static void sync_dir(const char *dir, const char *rel)
{
    char *p = rel ? cm_join(dir, rel) : NULL;
    if (!rel || p)
        cm_fsync_path(p ? p : dir);
    free(p);
}

/* Replace d->out by the staging directory (see the top of the file). 0, or -1 with errno. */
static int switch_over(hx_outdir *d)
{
    sync_dir(d->staging, "data");
    sync_dir(d->staging, "figures");
    sync_dir(d->staging, NULL);
    char *old = NULL;
    int rc = -1;
#ifdef RENAME_EXCHANGE
    if (d->existed) {
        rc = renameat2(AT_FDCWD, d->staging, AT_FDCWD, d->out, RENAME_EXCHANGE);
        if (rc == 0)
            old = d->staging; /* the previous record, now under the staging name */
        else if (errno != EINVAL && errno != ENOSYS && errno != ENOENT)
            return -1;
    }
#endif
    if (rc != 0 && d->existed && access(d->out, F_OK) == 0) {
        old = str_printf("%s/.%s.old.%ld", d->parent, d->name, (long)getpid());
        if (!old || rename(d->out, old) != 0) {
            free(old);
            return -1;
        }
        if (rename(d->staging, d->out) != 0) {
            int saved = errno;
            rename(old, d->out);
            free(old);
            errno = saved;
            return -1;
        }
        rc = 0;
    } else if (rc != 0 && rename(d->staging, d->out) != 0) {
        return -1;
    }
    sync_dir(d->parent, NULL);
    if (old && cm_remove_tree(old) != 0)
        fprintf(stderr, "theorycheck: note: cannot remove the previous record %s: %s\n", old,
                strerror(errno));
    if (old != d->staging)
        free(old);
    free(d->staging); /* gone: the new record is --out */
    d->staging = NULL;
    return 0;
}

/* A sweep's summary, in the order it is published: sweep.json, the index the documents are
 * drawn from, last. */
static const char *const summary_entries[] = {"data", "figures", "sweep.md", "sweep.html",
                                              "sweep.json"};

/* Put staging/name at out/name: a file by rename (atomic replacement), a directory by one
 * exchange with the previous one (which is left under the staging name and removed with it).
 * An entry this summary did not produce (figures under --no-plots) is moved out of out/, so
 * no document of an older summary stays beside the new one. 0, or -1 with errno. */
static int summary_move(const hx_outdir *d, const char *name)
{
    char *src = cm_join(d->staging, name), *dst = cm_join(d->out, name);
    struct stat ss, ds;
    int rc = src && dst ? 0 : (errno = ENOMEM, -1);
    int have_src = rc == 0 && lstat(src, &ss) == 0, have_dst = rc == 0 && lstat(dst, &ds) == 0;
    if (rc == 0 && !have_src && have_dst)
        rc = rename(dst, src);
    else if (rc == 0 && have_src && have_dst && S_ISDIR(ss.st_mode) && S_ISDIR(ds.st_mode)) {
#ifdef RENAME_EXCHANGE
        rc = renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_EXCHANGE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS))
#endif
        {   /* no exchange here: the old directory aside, then the new one in */
            char *old = str_printf("%s.old", src);
            rc = !old || rename(dst, old) != 0 || rename(src, dst) != 0 ? -1 : 0;
            free(old);
        }
    } else if (rc == 0 && have_src) {
        rc = rename(src, dst);
    }
    free(src);
    free(dst);
    return rc;
}

/* Publish a sweep's summary from the staging directory into --out (see hx_outdir_open_sweep).
 * 0, or -1 with errno. */
static int switch_summary(hx_outdir *d)
{
    char *link = cm_join(d->staging, "cells");
    if (!link || (unlink(link) != 0 && errno != ENOENT)) {
        free(link);
        return -1;
    }
    free(link);
    sync_dir(d->staging, "data");
    sync_dir(d->staging, "figures");
    sync_dir(d->staging, NULL);
    for (size_t i = 0; i < sizeof summary_entries / sizeof summary_entries[0]; i++)
        if (summary_move(d, summary_entries[i]) != 0)
            return -1;
    sync_dir(d->out, NULL);
    if (cm_remove_tree(d->staging) != 0)
        fprintf(stderr, "theorycheck: note: cannot remove the previous summary in %s: %s\n",
                d->staging, strerror(errno));
    free(d->staging);
    d->staging = NULL;
    return 0;
}

/* Remove the staging tree; 128 + sig after the "interrupted" line. */
static int interrupted(hx_outdir *d, int sig)
{
    cm_remove_tree(d->staging);
    fputs(g_msg[sig_index(sig)] ? g_msg[sig_index(sig)] : "theorycheck: interrupted\n", stderr);
    return 128 + sig;
}

/* The writer's end: 0 if it wrote the record; else its message was printed (or is printed
 * here when it died of a signal) and the staging tree is removed. */
static int writer_status(hx_outdir *d, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFSIGNALED(status))
        fprintf(stderr, "theorycheck: writing the record was killed by signal %d; %s "
                        "unchanged\n", WTERMSIG(status), d->shown);
    cm_remove_tree(d->staging);
    return HX_EXIT_INTERNAL;
}

/* A sweep's summary is drawn from its cells: staging/cells -> ../NAME/cells (the staging
 * directory is NAME's sibling), so the documents' relative links are the final ones. */
static int link_cells(const hx_outdir *d)
{
    char *target = str_printf("../%s/cells", d->name), *link = cm_join(d->staging, "cells");
    int rc = target && link ? symlink(target, link) : (errno = ENOMEM, -1);
    if (rc != 0)
        fprintf(stderr, "theorycheck: cannot link the cells into %s: %s\n", d->staging,
                strerror(errno));
    free(target);
    free(link);
    return rc;
}

int hx_outdir_publish(hx_outdir *d, hx_outdir_write_fn fn, void *arg)
{
    if (d->kind == HX_OUT_SWEEP && link_cells(d) != 0)
        return HX_EXIT_INTERNAL;
    pid_t parent = getpid();
    fflush(NULL); /* the child must not print what the parent buffered */
    block_signals(SIG_BLOCK);
    g_phase = PH_PUBLISH;
    pid_t pid = fork();
    if (pid == 0)
        writer(d, parent, fn, arg);
    if (pid < 0) {
        fprintf(stderr, "theorycheck: cannot start the record writer: %s\n", strerror(errno));
        g_phase = PH_AFTER;
        block_signals(SIG_UNBLOCK);
        cm_remove_tree(d->staging);
        return HX_EXIT_INTERNAL;
    }
    setpgid(pid, pid); /* also in the child: whichever runs first, the group exists */
    g_child = pid;
    if (g_signal) /* seen by another thread before g_child was set */
        kill(-pid, SIGKILL);
    block_signals(SIG_UNBLOCK);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    block_signals(SIG_BLOCK); /* the switch is not interrupted half-way */
    g_phase = PH_AFTER;
    g_child = 0;
    int rc = g_signal ? interrupted(d, g_signal) : writer_status(d, status);
    if (rc == 0 && (d->kind == HX_OUT_SWEEP ? switch_summary(d) : switch_over(d)) != 0) {
        fprintf(stderr, "theorycheck: cannot replace %s by the new record %s: %s\n", d->shown,
                d->staging, strerror(errno));
        cm_remove_tree(d->staging);
        rc = HX_EXIT_INTERNAL;
    }
    block_signals(SIG_UNBLOCK); /* a signal held during the switch arrives now */
    if (rc == 0 && g_signal) {
        fprintf(stderr, "theorycheck: interrupted (%s) after %s was replaced by the new record\n",
                g_signal == SIGINT ? "SIGINT" : "SIGTERM", d->shown);
        rc = 128 + g_signal;
    }
    return rc;
}

void hx_outdir_close(hx_outdir *d)
{
    if (g_phase != PH_OFF) {
        sigaction(SIGINT, &g_old[0], NULL);
        sigaction(SIGTERM, &g_old[1], NULL);
        g_phase = PH_OFF;
    }
    if (d->staging)
        cm_remove_tree(d->staging);
    if (d->lock_fd >= 0)
        close(d->lock_fd); /* releases the flock; the lock file stays (deleting it would race) */
    free(d->out);
    free(d->parent);
    free(d->name);
    free(d->staging);
    free(d->lock);
    free(g_msg[0]);
    free(g_msg[1]);
    g_msg[0] = g_msg[1] = NULL;
    *d = (hx_outdir){.lock_fd = -1};
}
