/* harness/outdir.h — a run's output directory is replaced whole or not at all.
 *
 * `run --out DIR` never writes into DIR. Before any claim runs, hx_outdir_open checks DIR,
 * takes the lock PARENT/.NAME.lock (one run per DIR at a time), removes what killed runs left
 * beside DIR and creates the staging directory PARENT/.NAME.staging.<pid>. The record is then
 * written into the staging directory by a child process (hx_outdir_publish) and swapped with
 * DIR in one atomic step, so DIR holds the previous complete record or the new one at every
 * instant, whatever kills the run. SIGINT and SIGTERM remove the staging directory and stop the
 * writer and its gnuplot children (exit 130 / 143, DIR unchanged).
 */
#ifndef HX_OUTDIR_H
#define HX_OUTDIR_H

#include <stddef.h>

/* What --out holds: a run's record (replaced whole) or a sweep (cells accumulate in place; its
 * summary — sweep.json, sweep.md, sweep.html, data/, figures/ — is replaced as a set). */
typedef enum { HX_OUT_RUN = 0, HX_OUT_SWEEP = 1 } hx_out_kind;

typedef struct {
    hx_out_kind kind;
    const char *shown;  /* --out as the user gave it, for messages */
    char *out;          /* the directory replaced: --out, symbolic links resolved if it exists */
    char *parent;       /* the directory holding out, the lock and the staging directory */
    char *name;         /* last component of out */
    char *staging;      /* parent/.name.staging.<pid>: the record is written here */
    char *lock;         /* parent/.name.lock */
    int lock_fd;        /* flock held while the run lives; -1 when not open */
    int existed;        /* out existed when the run started */
} hx_outdir;

/* Check --out, lock it, remove the leftovers of killed runs and create the staging directory.
 * Everything that can be wrong with --out is found here, before any work: a non-directory,
 * a directory without write permission, an entry data/ or figures/ that is not a directory,
 * an entry a run does not write (a run replaces the whole directory, so it refuses to delete
 * what is not its own), a path too long, a parent that cannot be created or written, another
 * run holding the lock. 0, or -1 after printing one message (the caller's exit 2). */
int hx_outdir_open(hx_outdir *d, const char *out);

/* The same for `sweep --out DIR`, which is not replaced: its cells (DIR/cells/<id>/, each
 * whole or incomplete, never torn: results.json is written last) are written in place while
 * the lock is held, and only the summary is staged. An existing DIR must be a writable
 * directory whose data/, figures/ and cells/, if present, are directories; other entries are
 * left alone. hx_outdir_publish then draws the summary in the staging directory (the cells
 * are reachable there through a symbolic link `cells`) and moves it into DIR: the directories
 * data/ and figures/ each by one atomic exchange, the documents by rename, sweep.json last.
 * SIGINT or SIGTERM while cells run: the finished cells stay, the summary is unchanged, and
 * rerunning the command resumes (exit 130 / 143). */
int hx_outdir_open_sweep(hx_outdir *d, const char *out);

/* Both opens guard the staging directory from its creation (no signal can fall between the
 * two): until hx_outdir_publish, SIGINT and SIGTERM remove the (still empty) staging directory,
 * print "theorycheck: interrupted (SIGINT), DIR unchanged" (a sweep: that its finished cells
 * are kept and the command resumes) and exit 130 / 143. */

/* Writes the whole record into `dir`: 0, or -1 with a one-line message in err. */
typedef int (*hx_outdir_write_fn)(const char *dir, void *arg, char *err, size_t errlen);

/* Run write(d->staging, arg) in a child process, then replace d->out by the staging directory
 * in one atomic step. Returns 0; 3 (HX_EXIT_INTERNAL) when the record could not be written
 * (one message printed, DIR unchanged, staging removed); 128 + signal number when SIGINT or
 * SIGTERM arrived (message printed; DIR unchanged unless the swap was already done, which the
 * message says). */
int hx_outdir_publish(hx_outdir *d, hx_outdir_write_fn write, void *arg);

/* Restore the signal dispositions, remove the staging directory if still there, release the
 * lock and free. Safe on a zeroed or partly opened hx_outdir. */
void hx_outdir_close(hx_outdir *d);

#endif /* HX_OUTDIR_H */
