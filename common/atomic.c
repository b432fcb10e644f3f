/* common/atomic.c — file output that never leaves a half-written file under its final name.
 *
 * Each document is written to `path.tmp.<pid>`, flushed to disk with fsync and renamed over
 * `path` (rename is atomic within a file system). A reader sees the old file or the new one,
 * never a mixture; an interrupted run leaves at most a .tmp file, which is removed on error.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/atomic.h"

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int cm_write_atomic(const char *path, const char *data, size_t len)
{
    return cm_write_atomic_opt(path, data, len, 1);
}

int cm_write_atomic_opt(const char *path, const char *data, size_t len, int durable)
{
    if (!path || (!data && len)) {
        errno = EINVAL;
        return -1;
    }
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return -1;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    int rc = write_all(fd, data, len);
    if (rc == 0 && durable)
        rc = fsync(fd);
    int saved = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}

int cm_mkdirs(const char *path)
{
    if (!path || !*path) {
        errno = ENOENT;
        return -1;
    }
    char *p = strdup(path);
    if (!p)
        return -1;
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = -1;
            break;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (rc == 0 && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    int saved = errno;
    free(p);
    errno = saved;
    return rc;
}

char *cm_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    while (s) {
        size_t r = fread(s + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
        if (cap - n - 1 == 0) {
            char *t = realloc(s, cap * 2);
            if (!t) {
                free(s);
                s = NULL;
                break;
            }
            s = t;
            cap *= 2;
        }
    }
    int bad = s && ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(s);
        errno = saved ? saved : EIO;
        return NULL;
    }
    if (s) {
        s[n] = '\0';
        if (len)
            *len = n;
    }
    return s;
}

int cm_file_nonempty(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

char *cm_join(const char *outdir, const char *rel)
{
    size_t n = strlen(outdir) + strlen(rel) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", outdir, rel);
    return s;
}

int cm_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* nftw keeps no user pointer, so the first error is kept here; cm_remove_tree is called from
 * one thread at a time (the run's own staging and leftovers). */
static int remove_errno;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT && remove_errno == 0)
        remove_errno = errno;
    return 0; /* keep going: remove as much as possible */
}

int cm_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    remove_errno = 0;
    /* FTW_DEPTH: a directory after its entries; FTW_PHYS: links are removed, not followed. */
    if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && remove_errno == 0)
        remove_errno = errno ? errno : EIO;
    if (remove_errno) {
        errno = remove_errno;
        return -1;
    }
    return 0;
}
