/*
 * embed.c - bh-embed SRC_ROOT OUT.c: validate the built-in catalog and
 * embed it in the binary.
 *
 * Reads SRC_ROOT/policies and SRC_ROOT/frameworks with the loader the
 * scanner uses (catalog_load_dir, catalog_check_frameworks).  Any error is
 * printed as `file:line:col: error: message` and fails the build (exit 1):
 * a broken built-in policy must never reach a user's scan.  Otherwise it
 * writes OUT.c, defining bh_builtin_files[] and bh_builtin_nfiles
 * (policy.h) with every file of every policy folder (policy.yaml,
 * logic.yaml, description.md, remediation.md, tests/...) and every
 * framework, as C string literals, sorted by path so the output only
 * changes when the catalog does.  OUT.c is written to a temporary file and
 * renamed into place.
 *
 * The generated file is then loaded back with catalog_load_files() as a
 * check that what is embedded is what was validated.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "bhyaml.h"
#include "diag.h"
#include "discover.h"
#include "doc.h"
#include "policy.h"
#include "strbuf.h"

typedef struct entry {
    char *path;     /* "policies/<id>/policy.yaml", "frameworks/x.yaml" */
    char *data;
    size_t len;
    char *json;     /* policy.yaml, logic.yaml, frameworks: the document as JSON */
    size_t json_len;
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
} entries;

static void die_oom(void)
{
    fputs("bh-embed: out of memory\n", stderr);
    exit(1);
}

/* discover_join, or die: this is a build tool. */
static char *join(const char *a, const char *b)
{
    char *s = discover_join(a, b);
    if (!s)
        die_oom();
    return s;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add(entries *e, char *path, char *data, size_t len)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        entry *v = realloc(e->v, cap * sizeof *v);
        if (!v)
            die_oom();
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = (entry){path, data, len, NULL, 0};
}

/* ---- YAML to JSON --------------------------------------------------------
 * The scanner loads the built-in catalog at every start; libyaml's scanner
 * is most of that time, and JSON parses several times faster.  The YAML was
 * just validated, so its one document converts exactly: typed scalars
 * (libyaml plus YAML 1.1 resolution) become JSON values of the same type. */

typedef strbuf jbuf;

/* strbuf_put, or die: this is a build tool. */
static void jput(jbuf *b, const char *s, size_t n)
{
    if (!strbuf_put(b, s, n))
        die_oom();
}

static void jstr(jbuf *b, const char *s, size_t n)
{
    if (!strbuf_put_json(b, s, n, false))
        die_oom();
}

static bool to_json(jbuf *b, const doc_node *n)
{
    char num[64];
    switch (doc_kind_of(n)) {
    case DOC_MAP:
        jput(b, "{", 1);
        for (size_t i = 0; i < doc_len(n); i++) {
            if (i)
                jput(b, ",", 1);
            const doc_node *k = doc_map_key(n, i);
            if (doc_kind_of(k) != DOC_SCALAR)
                return false;
            jstr(b, doc_text(k), doc_text_len(k));
            jput(b, ":", 1);
            if (!to_json(b, doc_map_val(n, i)))
                return false;
        }
        jput(b, "}", 1);
        return true;
    case DOC_SEQ:
        jput(b, "[", 1);
        for (size_t i = 0; i < doc_len(n); i++) {
            if (i)
                jput(b, ",", 1);
            if (!to_json(b, doc_seq_at(n, i)))
                return false;
        }
        jput(b, "]", 1);
        return true;
    case DOC_UNKNOWN: return false;
    case DOC_SCALAR: break;
    }
    if (doc_tag(n))
        return false;   /* a tagged scalar would lose its tag */
    int64_t i;
    double f;
    bool t;
    switch (doc_type_of(n)) {
    case DOC_STR: jstr(b, doc_text(n), doc_text_len(n)); return true;
    case DOC_NULL: jput(b, "null", 4); return true;
    case DOC_BOOL:
        doc_bool(n, &t);
        jput(b, t ? "true" : "false", t ? 4 : 5);
        return true;
    case DOC_INT:
        doc_int(n, &i);
        jput(b, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)i));
        return true;
    case DOC_FLOAT:
        doc_float(n, &f);
        jput(b, num, (size_t)snprintf(num, sizeof num, "%.17g", f));
        return true;
    }
    return false;
}

/* The JSON rendition of a YAML entry, when it has one document that
 * converts exactly; else the entry keeps only its YAML. */
static void add_json(entry *en)
{
    bh_source *src = source_new(en->path, en->data, en->len);
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    doc_node **docs = NULL;
    long n = src && a && d ? bhyaml_parse(src, a, NULL, &docs, d) : -1;
    jbuf b = {0};
    if (n == 1 && diags_count(d) == 0 && to_json(&b, docs[0])) {
        en->json = b.p;
        en->json_len = b.n;
    } else {
        free(b.p);
    }
    diags_free(d);
    arena_free(a);
    source_free(src);
}

static bool has_suffix(const char *s, const char *suf);

static bool wants_json(const char *path)
{
    return has_suffix(path, "/policy.yaml") || has_suffix(path, "/logic.yaml") ||
           (strncmp(path, "frameworks/", 11) == 0 && !strstr(path, "/tests/"));
}

/* A whole file; exits on failure (the loader has just read it). */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        die_oom();
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            if (!(buf = realloc(buf, cap)))
                die_oom();
        }
    }
    if (ferror(fp)) {
        fprintf(stderr, "%s: error: cannot read: %s\n", path, strerror(errno));
        exit(1);
    }
    fclose(fp);
    *len = n;
    return buf;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Framework files below dir (as the loader finds them), named rel/... */
static void add_frameworks(entries *e, const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: error: cannot open directory: %s\n", dir, strerror(errno));
        exit(1);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char *full = join(dir, de->d_name), *r = join(rel, de->d_name);
        if (is_dir(full)) {
            add_frameworks(e, full, r);
            free(r);
        } else if (has_suffix(de->d_name, ".yaml") || has_suffix(de->d_name, ".yml")) {
            size_t len;
            char *data = slurp(full, &len);
            add(e, r, data, len);
        } else {
            free(r);
        }
        free(full);
    }
    closedir(d);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* One byte inside a C string literal.  Octal escapes are always three
 * digits (so a following digit is not taken in); `?` after `?` is escaped
 * so no trigraph forms under -std=c17. */
static void put_byte(FILE *out, unsigned char c, unsigned char prev)
{
    switch (c) {
    case '"': fputs("\\\"", out); return;
    case '\\': fputs("\\\\", out); return;
    case '\n': fputs("\\n", out); return;
    case '\t': fputs("\\t", out); return;
    case '\r': fputs("\\r", out); return;
    case '?':
        fputs(prev == '?' ? "\\?" : "?", out);
        return;
    default:
        break;
    }
    if (c < 0x20 || c >= 0x7f)
        fprintf(out, "\\%03o", c);
    else
        fputc(c, out);
}

/* data as adjacent literals, one per source line (long lines split). */
static void put_string(FILE *out, const char *data, size_t len, const char *indent)
{
    if (len == 0) {
        fprintf(out, "%s\"\"", indent);
        return;
    }
    size_t col = 0;
    unsigned char prev = 0;
    for (size_t i = 0; i < len; i++) {
        if (col == 0)
            fprintf(out, "%s\"", indent);
        unsigned char c = (unsigned char)data[i];
        put_byte(out, c, prev);
        prev = c;
        col++;
        if ((c == '\n' || col >= 96) && i + 1 < len) {
            fputs("\"\n", out);
            col = 0;
            prev = 0;
        }
    }
    fputc('"', out);
}

static bool write_output(const char *out_path, const entries *e)
{
    size_t n = strlen(out_path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        die_oom();
    snprintf(tmp, n, "%s.tmp.%ld", out_path, (long)getpid());
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "%s: error: cannot write: %s\n", tmp, strerror(errno));
        free(tmp);
        return false;
    }
    fputs("/* GENERATED by tools/embed.c from policies/ and frameworks/ "
          "\342\200\224 do not edit */\n"
          "#include <stddef.h>\n\n"
          "#include \"policy.h\"\n\n"
          "const bh_file bh_builtin_files[] = {\n",
          out);
    for (size_t i = 0; i < e->n; i++) {
        fputs("    {", out);
        put_string(out, e->v[i].path, strlen(e->v[i].path), "");
        fputs(",\n", out);
        put_string(out, e->v[i].data, e->v[i].len, "     ");
        fprintf(out, ",\n     %zu,\n", e->v[i].len);
        if (e->v[i].json)
            put_string(out, e->v[i].json, e->v[i].json_len, "     ");
        else
            fputs("     NULL", out);
        fprintf(out, ",\n     %zu},\n", e->v[i].json_len);
    }
    fprintf(out,
            "    {NULL, NULL, 0, NULL, 0}\n"
            "};\n\n"
            "const size_t bh_builtin_nfiles = %zu;\n",
            e->n);
    bool ok = !ferror(out);
    ok = (fclose(out) == 0) && ok;
    if (ok && rename(tmp, out_path) != 0) {
        fprintf(stderr, "%s: error: cannot rename to %s: %s\n", tmp, out_path, strerror(errno));
        ok = false;
    }
    if (!ok) {
        fprintf(stderr, "%s: error: cannot write the output\n", tmp);
        remove(tmp);
    }
    free(tmp);
    return ok;
}

static size_t print_diags(const bh_diags *d)
{
    static const char *const level[] = {"error", "warning", "note"};
    for (size_t i = 0; i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        if (g->pos.line)
            fprintf(stderr, "%s:%u:%u: %s: %s\n", g->file, g->pos.line, g->pos.col,
                    level[g->level], g->message);
        else
            fprintf(stderr, "%s: %s: %s\n", *g->file ? g->file : "bh-embed", level[g->level],
                    g->message);
        if (g->ctx_file && g->ctx_pos.line)
            fprintf(stderr, "%s:%u:%u: note: %s\n", g->ctx_file, g->ctx_pos.line,
                    g->ctx_pos.col, g->ctx_note ? g->ctx_note : "");
    }
    return diags_count_level(d, DIAG_ERROR);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: bh-embed SRC_ROOT OUT.c\n", stderr);
        return 2;
    }
    const char *root = argv[1];
    char *pdir = join(root, "policies"), *fdir = join(root, "frameworks");
    bool have_p = is_dir(pdir), have_f = is_dir(fdir);

    bh_catalog *c = catalog_new();
    bh_diags *d = diags_new();
    if (!c || !d)
        die_oom();
    entries e = {0};
    if (have_p)
        catalog_load_dir(c, pdir, have_f ? fdir : NULL, d);
    else if (have_f) {
        /* frameworks without policies: load them from memory to validate */
        add_frameworks(&e, fdir, "frameworks");
        bh_file *fs = calloc(e.n + 1, sizeof *fs);
        if (!fs)
            die_oom();
        for (size_t i = 0; i < e.n; i++)
            fs[i] = (bh_file){e.v[i].path, e.v[i].data, e.v[i].len, e.v[i].json, e.v[i].json_len};
        catalog_load_files(c, fs, e.n, d);
        free(fs);
        for (size_t i = 0; i < e.n; i++) {
            free(e.v[i].path);
            free(e.v[i].data);
        }
        e.n = 0;
    }
    catalog_check_frameworks(c, d);
    if (print_diags(d) > 0) {
        fprintf(stderr, "bh-embed: the built-in catalog has errors; fix them to build\n");
        return 1;
    }

    static const char *const files[] = {"policy.yaml", "logic.yaml", "description.md",
                                        "remediation.md"};
    for (size_t i = 0; i < catalog_len(c); i++) {
        const bh_policy *p = catalog_at(c, i);
        for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
            char *src = join(policy_dir(p), files[k]);
            size_t len;
            char *data = slurp(src, &len);
            char *base = join("policies", policy_id(p));
            add(&e, join(base, files[k]), data, len);
            free(base);
            free(src);
        }
        for (size_t k = 0; k < policy_ntests(p); k++) {
            const bh_file *f = policy_test_file(p, k);
            char *data = malloc(f->len + 1);
            if (!data)
                die_oom();
            memcpy(data, f->data, f->len);
            char *base = join("policies", policy_id(p));
            add(&e, join(base, f->path), data, f->len);
            free(base);
        }
    }
    if (have_f)
        add_frameworks(&e, fdir, "frameworks");
    if (e.n > 1)
        qsort(e.v, e.n, sizeof *e.v, cmp_entry);
    for (size_t i = 0; i < e.n; i++)
        if (wants_json(e.v[i].path))
            add_json(&e.v[i]);

    /* what is embedded must load as what was validated */
    bh_file *fs = calloc(e.n + 1, sizeof *fs);
    bh_catalog *again = catalog_new();
    bh_diags *d2 = diags_new();
    if (!fs || !again || !d2)
        die_oom();
    for (size_t i = 0; i < e.n; i++)
        fs[i] = (bh_file){e.v[i].path, e.v[i].data, e.v[i].len, e.v[i].json, e.v[i].json_len};
    catalog_load_files(again, fs, e.n, d2);
    catalog_check_frameworks(again, d2);
    if (print_diags(d2) > 0 || catalog_len(again) != catalog_len(c) ||
        catalog_nframeworks(again) != catalog_nframeworks(c)) {
        fprintf(stderr, "bh-embed: the embedded catalog does not load as the source one\n");
        return 1;
    }

    bool ok = write_output(argv[2], &e);
    for (size_t i = 0; i < e.n; i++) {
        free(e.v[i].path);
        free(e.v[i].data);
        free(e.v[i].json);
    }
    free(e.v);
    free(fs);
    catalog_free(again);
    catalog_free(c);
    diags_free(d2);
    diags_free(d);
    free(pdir);
    free(fdir);
    return ok ? 0 : 1;
}
