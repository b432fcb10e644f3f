/* tests/fuzz/fuzz_report.c — `theorycheck report DIR` on an arbitrary results.json or
 * sweep.json (reports/), without figures. The directory sits in a fresh parent beside a file
 * holding a secret token. Invariants: the report writes nothing outside its directory (the
 * parent holds exactly the directory and the secret afterwards) and reads nothing outside it
 * that ends up in what it writes (no file under the directory holds the token, whatever
 * paths the record names: "../secret.csv", absolute paths, ...).
 *
 * The token is drawn at start-up from /dev/urandom and searched for by a plain loop: a token
 * compiled in, or looked for with memmem, is what libFuzzer's comparison tracing learns and
 * writes into the inputs — the first CI run found exactly that (the "leak" was the input's own
 * text). An input whose decoded strings hold a piece of the token is skipped for the same
 * reason. */
#define _GNU_SOURCE /* nftw */
#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/atomic.h"
#include "fuzz.h"
#include "reports/report.h"

static char secret_token[33], parent[256], dir[300];

/* Whether `hay` (n bytes) holds `needle` (at least 8 bytes of it, from its start). */
static int holds(const char *hay, size_t n, const char *needle, size_t len)
{
    for (size_t i = 0; i + len <= n; i++) {
        size_t k = 0;
        while (k < len && hay[i + k] == needle[k])
            k++;
        if (k == len)
            return 1;
    }
    return 0;
}

static void make_token(void)
{
    unsigned char raw[16] = {0};
    FILE *f = fopen("/dev/urandom", "rb");
    fuzz_require(f && fread(raw, 1, sizeof raw, f) == sizeof raw, "random token");
    fclose(f);
    for (int i = 0; i < 16; i++)
        snprintf(secret_token + 2 * i, 3, "%02x", raw[i]);
}

static int leaked(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)ftw;
    if (flag != FTW_F)
        return 0;
    size_t n;
    char *text = cm_read_file(path, &n);
    int found = text && holds(text, n, secret_token, strlen(secret_token));
    free(text);
    return found;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void check_parent(void)
{
    DIR *d = opendir(parent);
    fuzz_require(d, "the parent is still there");
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        fuzz_require(!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
                         !strcmp(e->d_name, "out") || !strcmp(e->d_name, "secret.csv"),
                     "nothing written beside the report's directory");
    closedir(d);
    fuzz_require(nftw(dir, leaked, 16, FTW_PHYS) == 0, "no file outside the directory read in");
}

static void render(json_t *j)
{
    char err[1024];
    const char *schema = json_string_value(json_object_get(j, "schema"));
    if (schema && !strcmp(schema, "theorycheck/results/v1") &&
        json_is_array(json_object_get(j, "claims"))) {
        (void)rep_render_all(dir, j, 1, err, sizeof err);
        free(rep_junit_render(j, NULL));
    } else if (rep_sweep_valid(j, err, sizeof err)) {
        (void)rep_sweep_render(dir, j, 1, err, sizeof err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *j = json_loadb((const char *)data, size, 0, &jerr);
    if (!j)
        return 0;
    if (!secret_token[0])
        make_token();
    char *decoded = json_dumps(j, JSON_ENCODE_ANY); /* strings as the report will see them */
    int inside = !decoded || holds(decoded, strlen(decoded), secret_token, 8);
    free(decoded);
    if (inside) { /* the token came in with the input: nothing to learn from it */
        json_decref(j);
        return 0;
    }
    snprintf(parent, sizeof parent, "/tmp/tc_fuzz_report_%ld", (long)getpid());
    snprintf(dir, sizeof dir, "%s/out", parent);
    nftw(parent, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    fuzz_require(mkdir(parent, 0700) == 0 && mkdir(dir, 0700) == 0, "scratch directories");
    char secret[300];
    snprintf(secret, sizeof secret, "%s/secret.csv", parent);
    char content[64];
    snprintf(content, sizeof content, "%s\n1,2\n", secret_token);
    fuzz_require(cm_write_atomic(secret, content, strlen(content)) == 0, "secret");
    render(j);
    check_parent();
    json_decref(j);
    return 0;
}
