/* common/atomic.h — file output that never leaves a half-written file under its final name,
 * and the few file helpers around it. Shared by harness/ and reports/. */
#ifndef CM_ATOMIC_H
#define CM_ATOMIC_H

#include <stddef.h>

/* Write `len` bytes to `path` atomically: write path.tmp.<pid>, fsync, rename. 0 or -1 (errno). */
int cm_write_atomic(const char *path, const char *data, size_t len);
/* The same without fsync when `durable` is 0: still never half-written under its name after a
 * kill (rename is atomic), but a power loss may lose it. For files whose completion another,
 * durable file marks (a sweep cell's CSVs before its results.json). */
int cm_write_atomic_opt(const char *path, const char *data, size_t len, int durable);
/* mkdir -p (mode 0777 & ~umask). 0 or -1 (errno). */
int cm_mkdirs(const char *path);
/* Read a whole file into a NUL-terminated malloc'd buffer. NULL on failure (errno). */
char *cm_read_file(const char *path, size_t *len);
/* 1 if `path` is a regular file with at least one byte. */
int cm_file_nonempty(const char *path);
/* Join outdir and a relative path into a new string ("outdir/rel"). NULL on OOM. */
char *cm_join(const char *outdir, const char *rel);
/* fsync an existing file by path. 0 or -1. */
int cm_fsync_path(const char *path);
/* rm -rf: remove path and, if it is a directory, everything under it, without following
 * symbolic links (a link is removed, never its target). 0 (also when path does not exist) or
 * -1 (errno of the first failure; the rest is still attempted). */
int cm_remove_tree(const char *path);

#endif /* CM_ATOMIC_H */
