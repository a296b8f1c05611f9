/*
 * discover.c - walking the command-line paths into a file list, and reading
 * one file into a source.  See discover.h for the contract.
 *
 * Choices worth knowing:
 *
 * - Display paths are the paths as reached from the argument, and they are
 *   also the paths files are opened by (relative to the working directory).
 *   A leading "./" is dropped ("./examples" lists "examples/ecs/web.json",
 *   "." lists "ecs/web.json"), and trailing slashes of a directory argument
 *   are not repeated ("examples/" lists "examples/ecs/web.json").
 *
 * - Every regular file is listed, whatever its name: deciding which names
 *   are worth reading is detect_syntax()'s job (scan.c asks it before
 *   opening a file), so this module does not depend on detect.c.
 *
 * - --exclude globs are matched with fnmatch() and no flags (so `*` also
 *   matches `/`) against the display path and against the base name; they
 *   apply to command-line paths too, except "." and "..".  An excluded
 *   directory is not entered.  Excluded paths give no diagnostic.
 *
 * - `.git`, `.terraform` and `node_modules` directories are skipped
 *   silently while walking; named on the command line they are scanned.
 *
 * - Symbolic links met while walking are skipped with a note unless
 *   follow_symlinks.  A symbolic link named on the command line is always
 *   followed (as grep -r, find -H and ripgrep do): the user named it.
 *   Because of that, discover_read() cannot use O_NOFOLLOW; the walk is
 *   where links are decided.
 *
 * - Each directory entered is recorded by (device, inode); one met again
 *   (a symlink loop, a link to a directory already scanned, the same
 *   directory given twice) is skipped with a note, so every walk ends.
 *   Nesting deeper than DISCOVER_MAX_DEPTH directories is an error and the
 *   deeper directory is not entered; the walk recurses, bounded by that.
 *   Only one directory is open at a time (entries are read, sorted and the
 *   directory closed before descending), so deep trees cannot run out of
 *   file descriptors.
 *
 * Nothing here keeps global state: discover_read() may run on several
 * threads at once.
 */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DISCOVER_DEFAULT_MAX ((size_t)256 * 1024 * 1024)
#define DISCOVER_MAX_DEPTH 256
#define DISCOVER_BINARY_PROBE 8192

/* ---- file list -------------------------------------------------------- */

struct bh_filelist {
    char **v;
    size_t n, cap;
};

bh_filelist *filelist_new(void) { return calloc(1, sizeof(bh_filelist)); }

void filelist_free(bh_filelist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l);
}

size_t filelist_len(const bh_filelist *l) { return l ? l->n : 0; }

const char *filelist_path(const bh_filelist *l, size_t i)
{
    return l && i < l->n ? l->v[i] : NULL;
}

/* Append a copy of path; false when memory ran out. */
static bool filelist_add(bh_filelist *l, const char *path)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return false;
        l->v = nv;
        l->cap = ncap;
    }
    char *copy = strdup(path);
    if (!copy)
        return false;
    l->v[l->n++] = copy;
    return true;
}

/* ---- helpers ---------------------------------------------------------- */

/* The message for an errno value, thread-safely (XSI strerror_r). */
static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
}

/* Directories entered so far, by (device, inode): an open-addressing hash
 * set, so that each one is entered once and symlink loops end. */
typedef struct dir_id {
    dev_t dev;
    ino_t ino;
    bool used;
} dir_id;

typedef struct dirset {
    dir_id *slots;
    size_t cap, n;          /* cap: a power of two, or 0 */
} dirset;

static size_t dirset_hash(dev_t dev, ino_t ino)
{
    uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 29));
}

static bool dirset_has(const dirset *s, dev_t dev, ino_t ino)
{
    if (!s->cap)
        return false;
    for (size_t i = dirset_hash(dev, ino) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->slots[i].used)
            return false;
        if (s->slots[i].dev == dev && s->slots[i].ino == ino)
            return true;
    }
}

/* Insert (not present yet); false when memory ran out. */
static bool dirset_add(dirset *s, dev_t dev, ino_t ino)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        dir_id *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return false;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i].used)
                continue;
            size_t j = dirset_hash(s->slots[i].dev, s->slots[i].ino) & (ncap - 1);
            while (ns[j].used)
                j = (j + 1) & (ncap - 1);
            ns[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = ns;
        s->cap = ncap;
    }
    size_t i = dirset_hash(dev, ino) & (s->cap - 1);
    while (s->slots[i].used)
        i = (i + 1) & (s->cap - 1);
    s->slots[i] = (dir_id){dev, ino, true};
    s->n++;
    return true;
}

char *discover_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    if (strcmp(dir, ".") == 0)
        dl = 0;
    bool slash = dl > 0 && dir[dl - 1] != '/';
    char *p = malloc(dl + slash + nl + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    if (slash)
        p[dl] = '/';
    memcpy(p + dl + slash, name, nl + 1);
    return p;
}

/* A command-line path as displayed: leading "./" (and the slashes after
 * it) dropped, trailing slashes dropped (a lone "/" kept), "." when
 * nothing is left.  NULL when memory ran out. */
static char *display_arg(const char *arg)
{
    const char *p = arg;
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/')
            p++;
    }
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    if (n == 0) {
        if (p != arg) /* the argument was "./" or the like */
            return strdup(".");
        return strdup(""); /* "" itself: stat() will say it does not exist */
    }
    return strndup(p, n);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s && s[1] ? s + 1 : path;
}

static bool excluded(const discover_opts *o, const char *path, const char *name)
{
    for (size_t i = 0; i < o->nexcludes; i++) {
        const char *g = o->excludes[i];
        if (g && (fnmatch(g, path, 0) == 0 || fnmatch(g, name, 0) == 0))
            return true;
    }
    return false;
}

static bool skipped_dir_name(const char *name)
{
    static const char *const names[] = {".git", ".terraform", "node_modules"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static const char *special_kind(mode_t m)
{
    if (S_ISFIFO(m))
        return "fifo";
    if (S_ISSOCK(m))
        return "socket";
    if (S_ISCHR(m))
        return "character device";
    if (S_ISBLK(m))
        return "block device";
    return "special file";
}

/* ---- walking ---------------------------------------------------------- */

typedef struct walker {
    const discover_opts *opts;
    bh_filelist *out;
    bh_diags *diags;
    dirset seen;
    bool oom;
} walker;

static const bh_pos no_pos = {0, 0};

static void add_file(walker *w, const char *path)
{
    if (!filelist_add(w->out, path))
        w->oom = true;
}

/* A directory entry: its name and the type readdir() gave (DT_UNKNOWN
 * when the file system does not say). */
typedef struct entry {
    char *name;
    unsigned char type;
} entry;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static void enter_dir(walker *w, const char *path, const struct stat *st, int depth);

/* One directory entry, path as displayed (and opened), name its base,
 * type as readdir() gave it: a regular file needs no lstat(). */
static void visit(walker *w, const char *path, const char *name, unsigned char type, int depth)
{
    char eb[128];
    if (excluded(w->opts, path, name))
        return;
    if (type == DT_REG) {
        add_file(w, path);
        return;
    }
    struct stat st;
    if (lstat(path, &st) != 0) {
        /* Gone since the directory was read, or a name we cannot stat. */
        diags_add_file(w->diags, DIAG_ERROR, path, no_pos, "cannot access \"%s\": %s", path,
                       errstr(errno, eb, sizeof eb));
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        if (!w->opts->follow_symlinks) {
            diags_add_file(w->diags, DIAG_NOTE, path, no_pos,
                           "skipped symbolic link \"%s\" (use --follow-symlinks)", path);
            return;
        }
        if (stat(path, &st) != 0) {
            diags_add_file(w->diags, DIAG_NOTE, path, no_pos,
                           "skipped broken symbolic link \"%s\": %s", path,
                           errstr(errno, eb, sizeof eb));
            return;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        if (!skipped_dir_name(name))
            enter_dir(w, path, &st, depth);
    } else if (S_ISREG(st.st_mode)) {
        add_file(w, path);
    } else {
        diags_add_file(w->diags, DIAG_NOTE, path, no_pos, "skipped %s \"%s\"",
                       special_kind(st.st_mode), path);
    }
}

/* Read the entries of a directory, sorted by name; NULL with *n == 0 when
 * it cannot be opened (after a diagnostic) or memory ran out (w->oom). */
static entry *read_names(walker *w, const char *path, size_t *n)
{
    char eb[128];
    *n = 0;
    DIR *d = opendir(path);
    if (!d) {
        diags_add_file(w->diags, DIAG_ERROR, path, no_pos, "cannot open directory \"%s\": %s",
                       path, errstr(errno, eb, sizeof eb));
        return NULL;
    }
    entry *names = NULL;
    size_t cap = 0;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno)
                diags_add_file(w->diags, DIAG_ERROR, path, no_pos,
                               "cannot read directory \"%s\": %s", path,
                               errstr(errno, eb, sizeof eb));
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            entry *nn = realloc(names, ncap * sizeof *nn);
            if (!nn) {
                w->oom = true;
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[*n].name = strdup(e->d_name))) {
            w->oom = true;
            break;
        }
        names[(*n)++].type = e->d_type;
    }
    closedir(d);
    if (w->oom) {
        for (size_t i = 0; i < *n; i++)
            free(names[i].name);
        free(names);
        *n = 0;
        return NULL;
    }
    if (*n)
        qsort(names, *n, sizeof *names, cmp_names);
    return names;
}

/* A directory reached at depth (0: a command-line argument). */
static void enter_dir(walker *w, const char *path, const struct stat *st, int depth)
{
    if (depth > DISCOVER_MAX_DEPTH) {
        diags_add_file(w->diags, DIAG_ERROR, path, no_pos,
                       "directory \"%s\" is nested too deep (limit %d)", path,
                       DISCOVER_MAX_DEPTH);
        return;
    }
    if (dirset_has(&w->seen, st->st_dev, st->st_ino)) {
        diags_add_file(w->diags, DIAG_NOTE, path, no_pos,
                       "skipped directory \"%s\" (already scanned through another path)", path);
        return;
    }
    if (!dirset_add(&w->seen, st->st_dev, st->st_ino)) {
        w->oom = true;
        return;
    }
    size_t n;
    entry *names = read_names(w, path, &n);
    for (size_t i = 0; i < n; i++) {
        if (!w->oom) {
            char *child = discover_join(path, names[i].name);
            if (!child)
                w->oom = true;
            else
                visit(w, child, names[i].name, names[i].type, depth + 1);
            free(child);
        }
        free(names[i].name);
    }
    free(names);
}

/* One command-line path: followed if a symbolic link, never skipped for
 * its name (only for an --exclude match). */
static void visit_arg(walker *w, const char *arg)
{
    char eb[128];
    char *disp = display_arg(arg);
    if (!disp) {
        w->oom = true;
        return;
    }
    const char *name = base_name(disp);
    bool dots = strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
    if (!dots && excluded(w->opts, disp, name)) {
        free(disp);
        return;
    }
    struct stat st;
    /* stat the argument as given: "file.yaml/" must fail as it would. */
    if (stat(arg, &st) != 0) {
        diags_add_file(w->diags, DIAG_ERROR, arg, no_pos, "cannot access \"%s\": %s", arg,
                       errstr(errno, eb, sizeof eb));
    } else if (S_ISDIR(st.st_mode)) {
        enter_dir(w, disp, &st, 0);
    } else if (S_ISREG(st.st_mode)) {
        add_file(w, disp);
    } else {
        diags_add_file(w->diags, DIAG_NOTE, disp, no_pos, "skipped %s \"%s\"",
                       special_kind(st.st_mode), disp);
    }
    free(disp);
}

bool discover(const char *const *paths, size_t npaths, const discover_opts *opts,
              bh_filelist *out, bh_diags *diags)
{
    static const discover_opts defaults = {0};
    walker w = {opts ? opts : &defaults, out, diags, {NULL, 0, 0}, false};
    for (size_t i = 0; i < npaths && !w.oom; i++)
        visit_arg(&w, paths[i]);
    free(w.seen.slots);
    return !w.oom && !diags_lost(diags);
}

/* ---- reading ---------------------------------------------------------- */

/* read(2), retried on EINTR. */
static ssize_t read_some(int fd, void *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

bh_source *discover_read(const char *path, const discover_opts *opts, bh_diags *diags)
{
    char eb[128];
    size_t limit = opts && opts->max_file_size ? opts->max_file_size : DISCOVER_DEFAULT_MAX;
    if (limit > UINT32_MAX - 1)
        limit = UINT32_MAX - 1; /* a source's offsets are 32-bit */

    /* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        diags_add_file(diags, DIAG_ERROR, path, no_pos, "cannot open \"%s\": %s", path,
                       errstr(errno, eb, sizeof eb));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diags_add_file(diags, DIAG_ERROR, path, no_pos, "cannot read \"%s\": %s", path,
                       errstr(errno, eb, sizeof eb));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        diags_add_file(diags, DIAG_ERROR, path, no_pos, "skipped \"%s\": not a regular file",
                       path);
        close(fd);
        return NULL;
    }
    if (st.st_size < 0 || (uintmax_t)st.st_size > limit) {
        diags_add_file(diags, DIAG_ERROR, path, no_pos, "file too large (%jd bytes, limit %zu)",
                       (intmax_t)st.st_size, limit);
        close(fd);
        return NULL;
    }

    /* Read to end of file, not just st_size bytes: the file may have
     * shrunk or grown since fstat (or report size 0, as /proc does).  The
     * buffer always keeps one byte for the NUL source_adopt writes. */
    size_t len = 0, cap = (size_t)st.st_size + 1;
    char *buf = malloc(cap);
    const char *fail = NULL;
    int err = 0;
    while (buf) {
        if (len == cap - 1) {
            /* Full: probe for one more byte before growing. */
            char c;
            ssize_t r = read_some(fd, &c, 1);
            if (r == 0)
                break;
            if (r < 0) {
                err = errno;
                fail = "read";
                break;
            }
            if (len >= limit) {
                fail = "size";
                break;
            }
            size_t ncap = len < 4096 ? 4096 : len * 2;
            if (ncap > limit)
                ncap = limit;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = ncap + 1;
            buf[len++] = c;
            continue;
        }
        ssize_t r = read_some(fd, buf + len, cap - 1 - len);
        if (r < 0) {
            err = errno;
            fail = "read";
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (!buf) {
        diags_add_file(diags, DIAG_ERROR, path, no_pos, "cannot read \"%s\": out of memory",
                       path);
        return NULL;
    }
    if (fail) {
        if (strcmp(fail, "size") == 0)
            diags_add_file(diags, DIAG_ERROR, path, no_pos,
                           "file too large (over %zu bytes, limit %zu)", len, limit);
        else
            diags_add_file(diags, DIAG_ERROR, path, no_pos, "cannot read \"%s\": %s", path,
                           errstr(err, eb, sizeof eb));
        free(buf);
        return NULL;
    }
    if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
                     ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
        diags_add_file(diags, DIAG_ERROR, path, (bh_pos){1, 1},
                       "skipped UTF-16 text (byte-order mark): convert it to UTF-8");
        free(buf);
        return NULL;
    }
    /* No reader takes a NUL byte: a file holding one anywhere is binary (or
     * corrupt) and skipped with its place, never half-read. */
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        size_t off = (size_t)(nul - buf), line = 1, col = 1;
        for (size_t i = 0; i < off; i++) {
            if (buf[i] == '\n')
                line++, col = 1;
            else if (((unsigned char)buf[i] & 0xC0) != 0x80)
                col++;
        }
        if (off < DISCOVER_BINARY_PROBE)
            diags_add_file(diags, DIAG_ERROR, path, no_pos,
                           "skipped binary file (NUL byte at offset %zu)", off);
        else
            diags_add_file(diags, DIAG_ERROR, path, (bh_pos){(uint32_t)line, (uint32_t)col},
                           "skipped: a NUL byte at offset %zu (not a text file)", off);
        free(buf);
        return NULL;
    }
    bh_source *src = source_adopt(path, buf, len);
    if (!src) {
        /* source_adopt does not take the buffer when it fails. */
        free(buf);
        diags_add_file(diags, DIAG_ERROR, path, no_pos, "cannot read \"%s\": out of memory",
                       path);
    }
    return src;
}
