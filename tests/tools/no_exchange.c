/* tests/tools/no_exchange.c — LD_PRELOAD shim: renameat2 as on a file system without
 * RENAME_EXCHANGE (EINVAL), to test the fallback switch of harness/outdir.c. Other renameat2
 * calls go to the kernel. Says once on stderr that it refused, so a test knows it was used. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags)
{
    static int said;
    if (flags & RENAME_EXCHANGE) {
        if (!said++)
            fputs("no_exchange: RENAME_EXCHANGE refused\n", stderr);
        errno = EINVAL;
        return -1;
    }
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags);
}
