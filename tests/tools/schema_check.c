/* tests/tools/schema_check.c — test helper for results.json.
 *
 *   tc_schema_check SCHEMA.json DOC.json   validate DOC against a JSON Schema: the subset of
 *       draft 2020-12 that docs/results.schema.json uses (type as string or array, required,
 *       properties, additionalProperties as schema or false, items, enum, const, pattern as
 *       POSIX ERE, "{}" as anything). Exit 0 if valid, else 1 with one line per violation.
 *   tc_schema_check --claims DOC.json      print DOC's "claims" array without the "seconds"
 *       members, keys sorted: two runs with one seed must print the same bytes.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int errors;

static void violation(const char *ptr, const char *what)
{
    fprintf(stderr, "%s: %s\n", ptr[0] ? ptr : "/", what);
    errors++;
}

static int type_is(const json_t *v, const char *t)
{
    if (!strcmp(t, "object")) return json_is_object(v);
    if (!strcmp(t, "array")) return json_is_array(v);
    if (!strcmp(t, "string")) return json_is_string(v);
    if (!strcmp(t, "integer")) return json_is_integer(v);
    if (!strcmp(t, "number")) return json_is_number(v);
    if (!strcmp(t, "boolean")) return json_is_boolean(v);
    if (!strcmp(t, "null")) return json_is_null(v);
    return 0;
}

static void check(const json_t *s, const json_t *v, const char *ptr);

static void check_type(const json_t *t, const json_t *v, const char *ptr)
{
    if (!t)
        return;
    if (json_is_string(t)) {
        if (!type_is(v, json_string_value(t)))
            violation(ptr, "wrong type");
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e) if (type_is(v, json_string_value(e))) return;
    violation(ptr, "wrong type");
}

static void check_object(const json_t *s, const json_t *v, const char *ptr)
{
    const json_t *req = json_object_get(s, "required"), *props = json_object_get(s, "properties"),
                 *addl = json_object_get(s, "additionalProperties");
    size_t i;
    json_t *e;
    char p[1024];
    json_array_foreach(req, i, e) if (!json_object_get(v, json_string_value(e))) {
        snprintf(p, sizeof p, "missing required member '%s'", json_string_value(e));
        violation(ptr, p);
    }
    const char *k;
    json_t *m;
    json_object_foreach((json_t *)v, k, m) {
        snprintf(p, sizeof p, "%s/%s", ptr, k);
        const json_t *ps = props ? json_object_get(props, k) : NULL;
        if (ps)
            check(ps, m, p);
        else if (json_is_false(addl))
            violation(p, "additional member not allowed");
        else if (json_is_object(addl))
            check(addl, m, p);
    }
}

static void check(const json_t *s, const json_t *v, const char *ptr)
{
    check_type(json_object_get(s, "type"), v, ptr);
    const json_t *c = json_object_get(s, "const"), *en = json_object_get(s, "enum"),
                 *pat = json_object_get(s, "pattern"), *items = json_object_get(s, "items");
    if (c && !json_equal(c, v))
        violation(ptr, "not the required constant");
    if (en) {
        size_t i;
        json_t *e;
        int found = 0;
        json_array_foreach(en, i, e) found |= json_equal(e, v);
        if (!found)
            violation(ptr, "not one of the allowed values");
    }
    if (pat && json_is_string(v)) {
        regex_t re;
        if (regcomp(&re, json_string_value(pat), REG_EXTENDED | REG_NOSUB) == 0) {
            if (regexec(&re, json_string_value(v), 0, NULL, 0) != 0)
                violation(ptr, "does not match the pattern");
            regfree(&re);
        }
    }
    if (json_is_object(v))
        check_object(s, v, ptr);
    if (items && json_is_array(v)) {
        size_t i;
        json_t *e;
        char p[1024];
        json_array_foreach(v, i, e) {
            snprintf(p, sizeof p, "%s/%zu", ptr, i);
            check(items, e, p);
        }
    }
}

static int print_claims(const char *path)
{
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    if (!doc) {
        fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
        return 1;
    }
    json_t *claims = json_object_get(doc, "claims");
    size_t i;
    json_t *c;
    json_array_foreach(claims, i, c) json_object_del(c, "seconds");
    char *s = json_dumps(claims, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    if (s)
        puts(s);
    free(s);
    json_decref(doc);
    return s ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--claims") == 0)
        return print_claims(argv[2]);
    if (argc != 3) {
        fprintf(stderr, "usage: schema_check SCHEMA.json DOC.json\n");
        return 2;
    }
    json_error_t err;
    json_t *schema = json_load_file(argv[1], 0, &err), *doc;
    if (!schema) {
        fprintf(stderr, "%s:%d: %s\n", argv[1], err.line, err.text);
        return 2;
    }
    if (!(doc = json_load_file(argv[2], 0, &err))) {
        fprintf(stderr, "%s:%d: %s\n", argv[2], err.line, err.text);
        return 1;
    }
    check(schema, doc, "");
    json_decref(schema);
    json_decref(doc);
    if (errors)
        fprintf(stderr, "%d schema violation(s) in %s\n", errors, argv[2]);
    return errors ? 1 : 0;
}
