/*
 * source.h - one input file's bytes, its display path and its line table.
 *
 * Every document node points back into a bh_source by byte offsets (a
 * bh_span).  Line and column are computed only when a position is reported:
 * the line table is built on first use.  Lines and columns are 1-based;
 * columns count Unicode code points (UTF-8 continuation bytes do not
 * count), tabs count as one.
 *
 * Ownership: a source owns its bytes (a copy, or a buffer handed over by
 * source_adopt).  It must outlive every span that points into it.
 */
#ifndef BH_SOURCE_H
#define BH_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bh_source bh_source;

/* A region of a source: bytes [start, end). */
typedef struct bh_span {
    const bh_source *src;
    uint32_t start, end;
} bh_span;

typedef struct bh_pos {
    uint32_t line, col;      /* 1-based; 0 when unknown */
} bh_pos;

/* A copy of data[0..len) named path (the path as reached from the scan
 * argument).  The bytes are followed by a NUL that is not part of len.
 * NULL on allocation failure or when len does not fit in 32 bits. */
bh_source *source_new(const char *path, const char *data, size_t len);

/* Take ownership of a malloc()ed buffer of len bytes with room for one more
 * (the terminating NUL is written at data[len]). */
bh_source *source_adopt(const char *path, char *data, size_t len);

void source_free(bh_source *s);

const char *source_path(const bh_source *s);
const char *source_data(const bh_source *s);
size_t source_len(const bh_source *s);

/* Line and column of a byte offset (offset == len is the end of input). */
bh_pos source_pos(const bh_source *s, uint32_t offset);

/* The text of the line holding offset, without its line ending. */
const char *source_line_text(const bh_source *s, uint32_t offset, size_t *len);

/* A span covering a and b (same source), or whichever is set. */
bh_span span_join(bh_span a, bh_span b);

static inline bh_span span_make(const bh_source *s, uint32_t start, uint32_t end)
{
    bh_span sp = {s, start, end};
    return sp;
}

static inline bool span_valid(bh_span sp) { return sp.src != NULL; }

#endif
