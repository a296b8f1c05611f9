/* Unit tests: discover.c (walking, ordering, skips, symlinks, special
 * files, reading limits).  Every test builds its tree in a fresh mkdtemp
 * directory and removes it afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "discover.h"
#include "source.h"

/* ---- fixtures ---------------------------------------------------------- */

typedef struct fx {
    char root[64];          /* absolute mkdtemp directory */
    char cwd[PATH_MAX];     /* restored after tests that chdir */
    bh_filelist *files;
    bh_diags *diags;
} fx;

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char child[PATH_MAX];
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                rm_rf(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->root, "/tmp/bh-discover-XXXXXX");
    if (!mkdtemp(f->root) || !getcwd(f->cwd, sizeof f->cwd))
        return -1;
    f->files = filelist_new();
    f->diags = diags_new();
    *state = f;
    return f->files && f->diags ? 0 : -1;
}

static int teardown(void **state)
{
    fx *f = *state;
    if (chdir(f->cwd) != 0)
        return -1;
    rm_rf(f->root);
    filelist_free(f->files);
    diags_free(f->diags);
    free(f);
    return 0;
}

/* root-relative path into buf */
static const char *at(const fx *f, const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", f->root, rel);
    return buf;
}

static void mkdirs(const fx *f, const char *rel)
{
    char p[PATH_MAX];
    at(f, rel, p, sizeof p);
    for (char *s = p + strlen(f->root) + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
            *s = '/';
        }
    }
    assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
}

static void put(const fx *f, const char *rel, const char *data, size_t len)
{
    char p[PATH_MAX];
    FILE *fp = fopen(at(f, rel, p, sizeof p), "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void puts_file(const fx *f, const char *rel, const char *text)
{
    put(f, rel, text, strlen(text));
}

static void link_to(const fx *f, const char *target, const char *rel)
{
    char p[PATH_MAX];
    assert_int_equal(symlink(target, at(f, rel, p, sizeof p)), 0);
}

/* The file list, one path a line, with the root replaced by "R". */
static char *listing(const fx *f)
{
    static char out[16384];
    size_t n = 0, rl = strlen(f->root);
    out[0] = '\0';
    for (size_t i = 0; i < filelist_len(f->files); i++) {
        const char *p = filelist_path(f->files, i);
        if (strncmp(p, f->root, rl) == 0)
            n += (size_t)snprintf(out + n, sizeof out - n, "R%s\n", p + rl);
        else
            n += (size_t)snprintf(out + n, sizeof out - n, "%s\n", p);
        assert_true(n < sizeof out);
    }
    return out;
}

/* The diagnostics, "level file: message" a line, root replaced by "R". */
static char *diag_listing(const fx *f)
{
    static const char *const lv[] = {"error", "warning", "note"};
    static char out[16384];
    size_t n = 0, rl = strlen(f->root);
    out[0] = '\0';
    for (size_t i = 0; i < diags_count(f->diags); i++) {
        const bh_diag *g = diags_get(f->diags, i);
        char line[2048];
        snprintf(line, sizeof line, "%s %s: %s", lv[g->level], g->file, g->message);
        /* replace every occurrence of the root */
        for (char *s; (s = strstr(line, f->root));) {
            s[0] = 'R';
            memmove(s + 1, s + rl, strlen(s + rl) + 1);
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "%s\n", line);
        assert_true(n < sizeof out);
    }
    return out;
}

static void run(fx *f, const char *const *paths, size_t n, const discover_opts *o)
{
    assert_true(discover(paths, n, o, f->files, f->diags));
}

/* ---- walking ----------------------------------------------------------- */

/* A tree with the usual furniture, shared by several tests. */
static void build_tree(const fx *f)
{
    mkdirs(f, "sub/deep");
    mkdirs(f, ".git/objects");
    mkdirs(f, "node_modules/pkg");
    mkdirs(f, ".terraform/modules");
    mkdirs(f, "vendor-x");
    puts_file(f, "b.yaml", "b: 1\n");
    puts_file(f, "a.json", "{}");
    puts_file(f, "Z.md", "# readme\n");
    puts_file(f, "sub/c.tf", "");
    puts_file(f, "sub/deep/d.yml", "d: 1\n");
    puts_file(f, "sub-x.yaml", "x: 1\n");
    puts_file(f, ".git/config.yaml", "x: 1\n");
    puts_file(f, ".git/objects/o.json", "{}");
    puts_file(f, "node_modules/pkg/package.json", "{}");
    puts_file(f, ".terraform/modules/m.tf", "");
    puts_file(f, "vendor-x/v.yaml", "v: 1\n");
    puts_file(f, ".hidden.yaml", "h: 1\n");
    puts_file(f, "node_modules.yaml", "a file of that name is listed\n");
}

static void test_walk_sorted_and_skips(void **state)
{
    fx *f = *state;
    build_tree(f);
    const char *args[] = {f->root};
    run(f, args, 1, NULL);
    /* Siblings in strcmp order ('.' < 'Z' < 'a' < lowercase), pre-order;
     * .git, node_modules and .terraform not entered. */
    assert_string_equal(listing(f), "R/.hidden.yaml\n"
                                    "R/Z.md\n"
                                    "R/a.json\n"
                                    "R/b.yaml\n"
                                    "R/node_modules.yaml\n"
                                    "R/sub/c.tf\n"
                                    "R/sub/deep/d.yml\n"
                                    "R/sub-x.yaml\n"
                                    "R/vendor-x/v.yaml\n");
    assert_int_equal(diags_count(f->diags), 0);
}

static void test_display_paths_dot_and_slashes(void **state)
{
    fx *f = *state;
    build_tree(f);
    assert_int_equal(chdir(f->root), 0);
    const char *args[] = {".", "./sub/", "sub//deep//", "././b.yaml", "sub/../a.json"};
    discover_opts o = {0};
    /* the same directory through two paths is entered once */
    run(f, args, 2, &o);
    assert_string_equal(listing(f), ".hidden.yaml\n"
                                    "Z.md\n"
                                    "a.json\n"
                                    "b.yaml\n"
                                    "node_modules.yaml\n"
                                    "sub/c.tf\n"
                                    "sub/deep/d.yml\n"
                                    "sub-x.yaml\n"
                                    "vendor-x/v.yaml\n");
    assert_string_equal(diag_listing(f),
                        "note sub: skipped directory \"sub\" (already scanned through another "
                        "path)\n");

    filelist_free(f->files);
    diags_free(f->diags);
    f->files = filelist_new();
    f->diags = diags_new();
    run(f, args + 2, 3, &o);
    /* trailing slashes and leading "./" dropped; other spellings kept */
    assert_string_equal(listing(f), "sub//deep/d.yml\n"
                                    "b.yaml\n"
                                    "sub/../a.json\n");
    assert_int_equal(diags_count(f->diags), 0);
    /* every listed path opens from the working directory */
    for (size_t i = 0; i < filelist_len(f->files); i++)
        assert_int_equal(access(filelist_path(f->files, i), R_OK), 0);
}

static void test_excludes(void **state)
{
    fx *f = *state;
    build_tree(f);
    assert_int_equal(chdir(f->root), 0);
    /* base-name glob, display-path glob (a directory: not entered), a
     * glob that would match "." as a base name (not applied to "."). */
    const char *ex[] = {"*.md", "sub/deep", ".*"};
    discover_opts o = {.excludes = ex, .nexcludes = 3};
    const char *args[] = {"."};
    run(f, args, 1, &o);
    assert_string_equal(listing(f), "a.json\n"
                                    "b.yaml\n"
                                    "node_modules.yaml\n"
                                    "sub/c.tf\n"
                                    "sub-x.yaml\n"
                                    "vendor-x/v.yaml\n");
    assert_int_equal(diags_count(f->diags), 0);

    /* `*` crosses '/': "*deep*" drops the directory by its path from an
     * absolute argument too; a command-line file can be excluded. */
    filelist_free(f->files);
    f->files = filelist_new();
    const char *ex2[] = {"*deep*", "vendor-*", "b.yaml"};
    discover_opts o2 = {.excludes = ex2, .nexcludes = 3};
    const char *args2[] = {"sub", "b.yaml", "a.json"};
    run(f, args2, 3, &o2);
    assert_string_equal(listing(f), "sub/c.tf\n"
                                    "a.json\n");
}

static void test_missing_path_and_explicit_files(void **state)
{
    fx *f = *state;
    build_tree(f);
    char missing[PATH_MAX], md[PATH_MAX], nm[PATH_MAX];
    at(f, "no/such.yaml", missing, sizeof missing);
    at(f, "Z.md", md, sizeof md);
    at(f, "node_modules", nm, sizeof nm);
    /* an explicit file is listed whatever its name; an explicitly named
     * node_modules is walked; a missing path is an error and the rest
     * goes on. */
    const char *args[] = {missing, md, nm};
    run(f, args, 3, NULL);
    assert_string_equal(listing(f), "R/Z.md\n"
                                    "R/node_modules/pkg/package.json\n");
    assert_string_equal(diag_listing(f), "error R/no/such.yaml: cannot access "
                                         "\"R/no/such.yaml\": No such file or directory\n");
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), 1);
}

static void test_symlinks_not_followed(void **state)
{
    fx *f = *state;
    char outside[] = "/tmp/bh-discover-out-XXXXXX";
    assert_non_null(mkdtemp(outside));
    char op[PATH_MAX];
    snprintf(op, sizeof op, "%s/o.yaml", outside);
    FILE *fp = fopen(op, "w");
    assert_non_null(fp);
    fputs("o: 1\n", fp);
    fclose(fp);

    mkdirs(f, "d");
    puts_file(f, "d/f.yaml", "f: 1\n");
    link_to(f, outside, "d/out");          /* to a directory outside */
    link_to(f, "..", "d/up");              /* a loop */
    link_to(f, "f.yaml", "d/g.yaml");      /* to a file */
    link_to(f, "nowhere", "d/dangling");   /* broken */

    char d[PATH_MAX];
    const char *args[] = {at(f, "d", d, sizeof d)};
    run(f, args, 1, NULL);
    assert_string_equal(listing(f), "R/d/f.yaml\n");
    assert_string_equal(
        diag_listing(f),
        "note R/d/dangling: skipped symbolic link \"R/d/dangling\" (use --follow-symlinks)\n"
        "note R/d/g.yaml: skipped symbolic link \"R/d/g.yaml\" (use --follow-symlinks)\n"
        "note R/d/out: skipped symbolic link \"R/d/out\" (use --follow-symlinks)\n"
        "note R/d/up: skipped symbolic link \"R/d/up\" (use --follow-symlinks)\n");
    assert_int_equal(diags_count_level(f->diags, DIAG_NOTE), 4);

    /* a symbolic link named on the command line is followed */
    filelist_free(f->files);
    diags_free(f->diags);
    f->files = filelist_new();
    f->diags = diags_new();
    char g[PATH_MAX], out[PATH_MAX];
    const char *args2[] = {at(f, "d/g.yaml", g, sizeof g), at(f, "d/out", out, sizeof out)};
    run(f, args2, 2, NULL);
    assert_string_equal(listing(f), "R/d/g.yaml\n"
                                    "R/d/out/o.yaml\n");
    assert_int_equal(diags_count(f->diags), 0);
    rm_rf(outside);
}

static void test_symlinks_followed_loops_end(void **state)
{
    fx *f = *state;
    char outside[] = "/tmp/bh-discover-out-XXXXXX";
    assert_non_null(mkdtemp(outside));
    char op[PATH_MAX];
    snprintf(op, sizeof op, "%s/o.yaml", outside);
    FILE *fp = fopen(op, "w");
    assert_non_null(fp);
    fputs("o: 1\n", fp);
    fclose(fp);

    mkdirs(f, "d/e");
    puts_file(f, "d/f.yaml", "f: 1\n");
    puts_file(f, "d/e/h.yaml", "h: 1\n");
    link_to(f, outside, "d/out");
    link_to(f, "..", "d/e/up");        /* back to d: a loop */
    link_to(f, "e", "d/e2");           /* a second way into e */
    link_to(f, "f.yaml", "d/g.yaml");
    link_to(f, "nowhere", "d/dangling");
    link_to(f, "self", "d/self");      /* a link to itself */

    char d[PATH_MAX];
    const char *args[] = {at(f, "d", d, sizeof d)};
    discover_opts o = {.follow_symlinks = true};
    run(f, args, 1, &o);
    assert_string_equal(listing(f), "R/d/e/h.yaml\n"
                                    "R/d/f.yaml\n"
                                    "R/d/g.yaml\n"
                                    "R/d/out/o.yaml\n");
    assert_string_equal(
        diag_listing(f),
        "note R/d/dangling: skipped broken symbolic link \"R/d/dangling\": No such file or "
        "directory\n"
        "note R/d/e/up: skipped directory \"R/d/e/up\" (already scanned through another path)\n"
        "note R/d/e2: skipped directory \"R/d/e2\" (already scanned through another path)\n"
        "note R/d/self: skipped broken symbolic link \"R/d/self\": Too many levels of symbolic "
        "links\n");
    rm_rf(outside);
}

static void test_fifo_skipped_and_never_blocks(void **state)
{
    fx *f = *state;
    char p[PATH_MAX];
    mkdirs(f, "d");
    puts_file(f, "d/a.yaml", "a: 1\n");
    assert_int_equal(mkfifo(at(f, "d/pipe.yaml", p, sizeof p), 0644), 0);
    alarm(10); /* a blocking open would hang the test: fail it instead */
    char d[PATH_MAX];
    const char *args[] = {at(f, "d", d, sizeof d), p};
    run(f, args, 2, NULL);
    assert_string_equal(listing(f), "R/d/a.yaml\n");
    assert_string_equal(diag_listing(f),
                        "note R/d/pipe.yaml: skipped fifo \"R/d/pipe.yaml\"\n"
                        "note R/d/pipe.yaml: skipped fifo \"R/d/pipe.yaml\"\n");

    /* reading a FIFO by name: refused, without blocking */
    bh_source *s = discover_read(p, NULL, f->diags);
    assert_null(s);
    assert_int_equal(diags_count(f->diags), 3);
    const bh_diag *g = diags_get(f->diags, 2);
    assert_int_equal(g->level, DIAG_ERROR);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof want, "skipped \"%s\": not a regular file", p);
    assert_string_equal(g->message, want);
    alarm(0);
}

static void test_unreadable_directory(void **state)
{
    fx *f = *state;
    mkdirs(f, "d/locked");
    mkdirs(f, "d/open");
    puts_file(f, "d/locked/x.yaml", "x: 1\n");
    puts_file(f, "d/open/y.yaml", "y: 1\n");
    char lk[PATH_MAX], d[PATH_MAX];
    assert_int_equal(chmod(at(f, "d/locked", lk, sizeof lk), 0), 0);
    const char *args[] = {at(f, "d", d, sizeof d)};
    run(f, args, 1, NULL);
    if (geteuid() == 0) {
        /* root reads a mode-000 directory: nothing to report */
        print_message("running as root: mode 000 does not stop reading; "
                      "asserting the directory is walked\n");
        assert_string_equal(listing(f), "R/d/locked/x.yaml\nR/d/open/y.yaml\n");
        assert_int_equal(diags_count(f->diags), 0);
    } else {
        assert_string_equal(listing(f), "R/d/open/y.yaml\n");
        assert_string_equal(diag_listing(f), "error R/d/locked: cannot open directory "
                                             "\"R/d/locked\": Permission denied\n");
    }
}

static void test_depth_cap(void **state)
{
    fx *f = *state;
    /* 260 nested directories "n/n/...", a file at depth 3 and one at the
     * bottom: the walk stops below depth 256 with one error. */
    char rel[1024] = "n";
    for (int i = 1; i < 260; i++)
        strcat(rel, "/n");
    mkdirs(f, rel);
    puts_file(f, "n/n/n/top.yaml", "t: 1\n");
    char bottom[1100];
    snprintf(bottom, sizeof bottom, "%s/bottom.yaml", rel);
    puts_file(f, bottom, "b: 1\n");
    assert_int_equal(chdir(f->root), 0);
    const char *args[] = {"n"};
    run(f, args, 1, NULL);
    assert_string_equal(listing(f), "n/n/n/top.yaml\n");
    assert_int_equal(diags_count(f->diags), 1);
    const bh_diag *g = diags_get(f->diags, 0);
    assert_int_equal(g->level, DIAG_ERROR);
    /* argument "n" is depth 0; the directory at depth 257 is refused */
    assert_int_equal(strlen(g->file), 257 * 2 + 1);
    char want[2048];
    snprintf(want, sizeof want, "directory \"%s\" is nested too deep (limit 256)", g->file);
    assert_string_equal(g->message, want);
}

static void test_filelist_bounds(void **state)
{
    (void)state;
    bh_filelist *l = filelist_new();
    assert_non_null(l);
    assert_int_equal(filelist_len(l), 0);
    assert_null(filelist_path(l, 0));
    filelist_free(l);
    filelist_free(NULL);
}

/* ---- reading ----------------------------------------------------------- */

static void test_read_ok_empty_and_large(void **state)
{
    fx *f = *state;
    char p[PATH_MAX];
    puts_file(f, "a.yaml", "a: 1\n");
    bh_source *s = discover_read(at(f, "a.yaml", p, sizeof p), NULL, f->diags);
    assert_non_null(s);
    assert_int_equal(source_len(s), 5);
    assert_string_equal(source_data(s), "a: 1\n");
    assert_string_equal(source_path(s), p);
    source_free(s);

    put(f, "empty.yaml", "", 0);
    s = discover_read(at(f, "empty.yaml", p, sizeof p), NULL, f->diags);
    assert_non_null(s);
    assert_int_equal(source_len(s), 0);
    assert_string_equal(source_data(s), "");
    source_free(s);

    /* 300 KB: several reads, exact size */
    size_t n = 300 * 1000;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    put(f, "big.yaml", big, n);
    s = discover_read(at(f, "big.yaml", p, sizeof p), NULL, f->diags);
    assert_non_null(s);
    assert_int_equal(source_len(s), n);
    assert_memory_equal(source_data(s), big, n);
    assert_int_equal(source_data(s)[n], '\0');
    source_free(s);
    free(big);
    assert_int_equal(diags_count(f->diags), 0);
}

static void test_read_grows_past_stat_size(void **state)
{
    fx *f = *state;
    /* /proc files are regular with st_size 0: the reader must go to end
     * of file, not stop at the size fstat gave. */
    bh_source *s = discover_read("/proc/self/status", NULL, f->diags);
    if (!s) {
        skip();
    }
    assert_true(source_len(s) > 0);
    assert_non_null(strstr(source_data(s), "Name:"));
    assert_int_equal(strlen(source_data(s)), source_len(s));
    source_free(s);
    /* a limit smaller than what the file turns out to hold */
    discover_opts o = {.max_file_size = 16};
    s = discover_read("/proc/self/status", &o, f->diags);
    assert_null(s);
    assert_int_equal(diags_count(f->diags), 1);
    assert_string_equal(diags_get(f->diags, 0)->message,
                        "file too large (over 16 bytes, limit 16)");
}

static void test_read_size_limit(void **state)
{
    fx *f = *state;
    char p[PATH_MAX];
    puts_file(f, "ten.yaml", "0123456789");
    puts_file(f, "eleven.yaml", "0123456789A");
    discover_opts o = {.max_file_size = 10};
    bh_source *s = discover_read(at(f, "ten.yaml", p, sizeof p), &o, f->diags);
    assert_non_null(s);  /* exactly at the limit: read */
    assert_int_equal(source_len(s), 10);
    source_free(s);
    s = discover_read(at(f, "eleven.yaml", p, sizeof p), &o, f->diags);
    assert_null(s);
    assert_int_equal(diags_count(f->diags), 1);
    const bh_diag *g = diags_get(f->diags, 0);
    assert_int_equal(g->level, DIAG_ERROR);
    assert_string_equal(g->file, p);
    assert_string_equal(g->message, "file too large (11 bytes, limit 10)");
}

static void test_read_binary(void **state)
{
    fx *f = *state;
    char p[PATH_MAX];
    put(f, "bin.json", "{\"a\"\0:1}", 8);
    bh_source *s = discover_read(at(f, "bin.json", p, sizeof p), NULL, f->diags);
    assert_null(s);
    assert_int_equal(diags_count(f->diags), 1);
    const bh_diag *g = diags_get(f->diags, 0);
    assert_int_equal(g->level, DIAG_ERROR);
    assert_string_equal(g->file, p);
    assert_string_equal(g->message, "skipped binary file (NUL byte at offset 4)");

    /* a NUL after the first 8 KiB is found too, with its place */
    char *late = malloc(9000);
    assert_non_null(late);
    memset(late, 'x', 9000);
    late[100] = '\n';
    late[8192] = '\0';
    put(f, "late.yaml", late, 9000);
    s = discover_read(at(f, "late.yaml", p, sizeof p), NULL, f->diags);
    assert_null(s);
    g = diags_get(f->diags, 1);
    assert_string_equal(g->message, "skipped: a NUL byte at offset 8192 (not a text file)");
    assert_int_equal(g->pos.line, 2);
    assert_int_equal(g->pos.col, 8092);
    /* ... and one at offset 8191 is in the binary probe */
    late[8192] = 'x';
    late[8191] = '\0';
    put(f, "late2.yaml", late, 9000);
    s = discover_read(at(f, "late2.yaml", p, sizeof p), NULL, f->diags);
    assert_null(s);
    assert_string_equal(diags_get(f->diags, 2)->message,
                        "skipped binary file (NUL byte at offset 8191)");
    free(late);
}

static void test_read_errors(void **state)
{
    fx *f = *state;
    char p[PATH_MAX], want[PATH_MAX + 64];
    bh_source *s = discover_read(at(f, "missing.yaml", p, sizeof p), NULL, f->diags);
    assert_null(s);
    snprintf(want, sizeof want, "cannot open \"%s\": No such file or directory", p);
    assert_string_equal(diags_get(f->diags, 0)->message, want);

    mkdirs(f, "dir.yaml");
    s = discover_read(at(f, "dir.yaml", p, sizeof p), NULL, f->diags);
    assert_null(s);
    snprintf(want, sizeof want, "skipped \"%s\": not a regular file", p);
    assert_string_equal(diags_get(f->diags, 1)->message, want);

    puts_file(f, "secret.yaml", "s: 1\n");
    assert_int_equal(chmod(at(f, "secret.yaml", p, sizeof p), 0), 0);
    s = discover_read(p, NULL, f->diags);
    if (geteuid() == 0) {
        print_message("running as root: mode 000 does not stop reading; "
                      "asserting the file is read\n");
        assert_non_null(s);
        assert_string_equal(source_data(s), "s: 1\n");
        source_free(s);
        assert_int_equal(diags_count(f->diags), 2);
    } else {
        assert_null(s);
        snprintf(want, sizeof want, "cannot open \"%s\": Permission denied", p);
        assert_string_equal(diags_get(f->diags, 2)->message, want);
    }
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), diags_count(f->diags));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk_sorted_and_skips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_display_paths_dot_and_slashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_excludes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_path_and_explicit_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks_not_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks_followed_loops_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_skipped_and_never_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_cap, setup, teardown),
        cmocka_unit_test(test_filelist_bounds),
        cmocka_unit_test_setup_teardown(test_read_ok_empty_and_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_grows_past_stat_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
