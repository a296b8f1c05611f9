/*
 * discover.h - which files a scan reads, and reading them.
 *
 * Paths from the command line (files or directories) are walked in sorted
 * order (so output is deterministic), skipping `.git`, `.terraform` and
 * `node_modules` directories and anything matching an --exclude glob
 * (fnmatch against the path as displayed and against the base name).
 * Symbolic links are not followed unless asked; when followed, a directory
 * already visited (same device and inode) is not entered again, so loops
 * end.  FIFOs, sockets and devices are skipped with a note, never opened.
 *
 * Reading: a file over the size limit, one that cannot be read, or one
 * that looks binary (a NUL byte in its first 8 KiB) gives one diagnostic
 * and no source.  Display paths are the paths as reached from the scan
 * argument ("examples/ecs/web.json").
 */
#ifndef BH_DISCOVER_H
#define BH_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "source.h"

typedef struct discover_opts {
    const char *const *excludes;   /* fnmatch globs */
    size_t nexcludes;
    bool follow_symlinks;
    size_t max_file_size;          /* bytes; 0: the default (256 MiB) */
} discover_opts;

typedef struct bh_filelist bh_filelist;

bh_filelist *filelist_new(void);
void filelist_free(bh_filelist *l);
size_t filelist_len(const bh_filelist *l);
const char *filelist_path(const bh_filelist *l, size_t i);

/*
 * Add the files under each path to out, in a deterministic order.  A path
 * that does not exist is an error diagnostic.  Returns false only when
 * memory ran out.
 */
bool discover(const char *const *paths, size_t npaths, const discover_opts *opts,
              bh_filelist *out, bh_diags *diags);

/*
 * Read one file into a new source, or NULL after adding a diagnostic
 * (unreadable, over-size, binary).  opts may be NULL (defaults).
 */
bh_source *discover_read(const char *path, const discover_opts *opts, bh_diags *diags);

/* The path of name inside dir, as displayed: no "./" for dir ".", no
 * doubled slash after "/".  malloc()ed; NULL when memory ran out. */
char *discover_join(const char *dir, const char *name);

#endif
