/* tests/unit/tc_test_dir.h — a scratch directory for the unit tests that write and read files
 * (reports, sweep reports, figure formats): one copy of the helpers those tests shared. Paths
 * go through common/atomic.h (cm_join, cm_mkdirs, cm_write_atomic, cm_read_file), which every
 * such test links through tc_reports. */
#ifndef TC_TEST_DIR_H
#define TC_TEST_DIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/atomic.h"
#include "tc_test.h"

/* A fresh directory /tmp/tc-test-NAME-XXXXXX (malloc'ed path; release with tc_dir_remove). */
static inline char *tc_dir_new(const char *name)
{
    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "/tmp/tc-test-%s-XXXXXX", name);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

/* DIR/REL := text, creating REL's parent directories. */
static inline void tc_dir_put(const char *dir, const char *rel, const char *text)
{
    char *path = cm_join(dir, rel);
    assert_non_null(path);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    assert_int_equal(cm_mkdirs(path), 0);
    *slash = '/';
    assert_int_equal(cm_write_atomic(path, text, strlen(text)), 0);
    free(path);
}

/* The text of DIR/REL (malloc'ed), or NULL if it cannot be read. */
static inline char *tc_dir_read(const char *dir, const char *rel)
{
    char *path = cm_join(dir, rel);
    char *text = path ? cm_read_file(path, NULL) : NULL;
    free(path);
    return text;
}

/* Whether DIR/REL exists and is not empty. */
static inline int tc_dir_nonempty(const char *dir, const char *rel)
{
    char *path = cm_join(dir, rel);
    int ok = path && cm_file_nonempty(path);
    free(path);
    return ok;
}

static inline int tc_dir_rm_one(const char *path, const struct stat *st, int flag,
                                struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove DIR and everything in it, and free the path. */
static inline void tc_dir_remove(char *dir)
{
    nftw(dir, tc_dir_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

#endif /* TC_TEST_DIR_H */
