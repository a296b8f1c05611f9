/* Unit tests: adapt_compose.c (Docker Compose files into compose/service
 * objects), .env resolution included. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapter.h"
#include "arena.h"
#include "bhyaml.h"
#include "diag.h"
#include "doc.h"
#include "object.h"
#include "source.h"

/* One parsed and adapted compose file. */
typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *diags;
    bh_objlist *objs;
    bool ok;
} fx;

static fx *fx_at(const char *path, const char *yaml)
{
    fx *f = test_calloc(1, sizeof *f);
    f->src = source_new(path, yaml, strlen(yaml));
    f->a = arena_new();
    f->diags = diags_new();
    f->objs = objlist_new(f->a);
    assert_non_null(f->objs);
    doc_node **docs = NULL;
    long n = bhyaml_parse(f->src, f->a, NULL, &docs, f->diags);
    assert_int_equal(n, 1);
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), 0);
    f->ok = adapt_compose(docs[0], f->a, f->objs, f->diags);
    return f;
}

/* A compose file in a directory without .env. */
static fx *fx_new(const char *yaml) { return fx_at("/nonexistent-dir/compose.yaml", yaml); }

static void fx_free(fx *f)
{
    arena_free(f->a);
    diags_free(f->diags);
    source_free(f->src);
    test_free(f);
}

static uint32_t line_of(const doc_node *n)
{
    assert_non_null(n);
    return source_pos(doc_span(n).src, doc_span(n).start).line;
}

static const bh_object *obj(const fx *f, const char *name)
{
    for (size_t i = 0; i < objlist_len(f->objs); i++)
        if (strcmp(objlist_at(f->objs, i)->name, name) == 0)
            return objlist_at(f->objs, i);
    fail_msg("no object %s", name);
    return NULL;
}

static const doc_node *field(const fx *f, const char *svc, const char *path)
{
    return doc_path(obj(f, svc)->root, path);
}

static bool get_bool(const doc_node *n)
{
    bool b = false;
    assert_non_null(n);
    assert_true(doc_bool(n, &b));
    return b;
}

static bool is_unknown(const doc_node *n) { return n && doc_kind_of(n) == DOC_UNKNOWN; }

/* Whether some diagnostic of that level contains text. */
static bool has_diag(const fx *f, diag_level level, const char *text)
{
    for (size_t i = 0; i < diags_count(f->diags); i++) {
        const bh_diag *d = diags_get(f->diags, i);
        if (d->level == level && strstr(d->message, text))
            return true;
    }
    return false;
}

/* ---- a scratch directory for .env tests -------------------------------- */

static char tmpdir[256];

static void make_dir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bh-compose-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
}

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void remove_dir(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static fx *fx_in_dir(const char *yaml)
{
    char p[512];
    snprintf(p, sizeof p, "%s/docker-compose.yml", tmpdir);
    return fx_at(p, yaml);
}

/* ---- objects ----------------------------------------------------------- */

static void test_service_objects(void **state)
{
    (void)state;
    fx *f = fx_new("version: '3.9'\n"
                   "services:\n"
                   "  web:\n"
                   "    image: nginx\n"
                   "    network_mode: host\n"
                   "  empty:\n"
                   "  db:\n"
                   "    image: postgres\n");
    assert_true(f->ok);
    assert_int_equal(objlist_len(f->objs), 2);     /* `empty:` has nothing to check */
    const bh_object *o = objlist_at(f->objs, 0);
    assert_string_equal(o->type, "compose/service");
    assert_string_equal(o->name, "services.web");
    assert_int_equal(source_pos(f->src, o->span.start).line, 3);
    assert_string_equal(doc_text(doc_get(o->root, "name")), "web");
    assert_string_equal(doc_text(doc_get(o->root, "network_mode")), "host");
    assert_int_equal(line_of(doc_get(o->root, "network_mode")), 5);
    assert_string_equal(objlist_at(f->objs, 1)->name, "services.db");
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_service_not_a_mapping(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n  web: [a, b]\n  ok:\n    image: x\n");
    assert_int_equal(objlist_len(f->objs), 1);
    assert_true(has_diag(f, DIAG_ERROR, "service \"web\" is a list, not a mapping"));
    fx_free(f);
}

/* ---- interpolation ------------------------------------------------------- */

static void test_interpolation_forms(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  s:\n"
                   "    image: \"app:${TAG:-latest}\"\n"
                   "    network_mode: ${NET-host}\n"
                   "    pid: $PID\n"
                   "    ipc: ${IPC:?need IPC}\n"
                   "    user: ${USER:+x}\n"
                   "    container_name: cost-$$5-$\n"
                   "    hostname: ${A:-${B:-nested}}\n"
                   "    domainname: ${bad/x}\n");
    assert_true(f->ok);
    assert_string_equal(doc_text(field(f, "services.s", "image")), "app:latest");
    const doc_node *net = field(f, "services.s", "network_mode");
    assert_string_equal(doc_text(net), "host");
    assert_int_equal(line_of(net), 4);
    assert_non_null(doc_trace_of(net));
    assert_non_null(strstr(doc_trace_of(net)->note, "default of \"NET\""));
    const doc_node *pid = field(f, "services.s", "pid");
    assert_true(is_unknown(pid));
    assert_string_equal(doc_text(pid), "$PID");
    assert_int_equal(line_of(pid), 5);
    assert_true(is_unknown(field(f, "services.s", "ipc")));
    assert_string_equal(doc_text(field(f, "services.s", "user")), "");
    assert_string_equal(doc_text(field(f, "services.s", "container_name")), "cost-$5-$");
    assert_string_equal(doc_text(field(f, "services.s", "hostname")), "nested");
    /* an invalid template is kept as written, with a warning */
    assert_string_equal(doc_text(field(f, "services.s", "domainname")), "${bad/x}");
    assert_true(has_diag(f, DIAG_WARNING, "invalid interpolation"));
    fx_free(f);
}

static void test_env_file(void **state)
{
    (void)state;
    make_dir();
    write_file(".env", "# settings\n"
                       "NET=host\n"
                       "export PRIV='yes'\n"
                       "EMPTY=\n"
                       "QUOTED=\"a b\" # comment\n"
                       "UNQUOTED=c d # comment\n"
                       "REF=${NET}-x\n"
                       "LITERAL='${NET}'\n"
                       "MISSING_REF=${NOPE}\n"
                       "not a line\n");
    fx *f = fx_in_dir("services:\n"
                      "  web:\n"
                      "    network_mode: ${NET}\n"
                      "    privileged: ${PRIV}\n"
                      "    pid: ${EMPTY:-host}\n"
                      "    ipc: ${EMPTY-private}\n"
                      "    hostname: ${QUOTED}|${UNQUOTED}\n"
                      "    domainname: ${REF}\n"
                      "    container_name: ${LITERAL}\n"
                      "    user: ${MISSING_REF}\n");
    assert_true(f->ok);
    const doc_node *net = field(f, "services.web", "network_mode");
    assert_string_equal(doc_text(net), "host");
    assert_int_equal(line_of(net), 3);
    const doc_trace *t = doc_trace_of(net);
    assert_non_null(t);
    assert_string_equal(t->note, "from .env \"NET\"");
    assert_non_null(strstr(source_path(t->at.src), "/.env"));
    assert_int_equal(source_pos(t->at.src, t->at.start).line, 2);
    /* 'yes' from .env is a string; compose casts it */
    assert_true(get_bool(field(f, "services.web", "privileged")));
    assert_non_null(doc_trace_of(field(f, "services.web", "privileged")));
    assert_string_equal(doc_text(field(f, "services.web", "pid")), "host");
    assert_string_equal(doc_text(field(f, "services.web", "ipc")), "");
    assert_string_equal(doc_text(field(f, "services.web", "hostname")), "a b|c d");
    assert_string_equal(doc_text(field(f, "services.web", "domainname")), "host-x");
    assert_string_equal(doc_text(field(f, "services.web", "container_name")), "${NET}");
    assert_true(is_unknown(field(f, "services.web", "user")));
    assert_true(has_diag(f, DIAG_WARNING, "not KEY=VALUE"));
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), 0);
    fx_free(f);
    remove_dir();
}

/* The process environment is never read. */
static void test_process_environment_ignored(void **state)
{
    (void)state;
    setenv("BH_COMPOSE_TEST_NET", "host", 1);
    fx *f = fx_new("services:\n  web:\n    network_mode: ${BH_COMPOSE_TEST_NET}\n");
    assert_true(is_unknown(field(f, "services.web", "network_mode")));
    unsetenv("BH_COMPOSE_TEST_NET");
    fx_free(f);
}

static void test_env_not_regular(void **state)
{
    (void)state;
    static const char *const yaml = "services:\n  web:\n    network_mode: ${NET}\n";
    /* a directory */
    make_dir();
    char p[512];
    snprintf(p, sizeof p, "%s/.env", tmpdir);
    assert_int_equal(mkdir(p, 0700), 0);
    fx *f = fx_in_dir(yaml);
    assert_true(f->ok);
    assert_true(has_diag(f, DIAG_WARNING, "it is a directory"));
    assert_true(is_unknown(field(f, "services.web", "network_mode")));
    fx_free(f);
    remove_dir();
    /* a FIFO: must not block */
    make_dir();
    snprintf(p, sizeof p, "%s/.env", tmpdir);
    assert_int_equal(mkfifo(p, 0600), 0);
    f = fx_in_dir(yaml);
    assert_true(has_diag(f, DIAG_WARNING, "not a regular file"));
    assert_true(is_unknown(field(f, "services.web", "network_mode")));
    fx_free(f);
    remove_dir();
    /* a symbolic link: never followed */
    make_dir();
    write_file("real.env", "NET=host\n");
    snprintf(p, sizeof p, "%s/.env", tmpdir);
    assert_int_equal(symlink("real.env", p), 0);
    f = fx_in_dir(yaml);
    assert_true(has_diag(f, DIAG_WARNING, "symbolic link"));
    assert_true(is_unknown(field(f, "services.web", "network_mode")));
    fx_free(f);
    remove_dir();
}

static void test_env_too_large(void **state)
{
    (void)state;
    make_dir();
    size_t n = (1u << 20) + 16;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, '#', n);
    memcpy(big, "NET=host\n", 9);
    big[n] = '\0';
    write_file(".env", big);
    free(big);
    fx *f = fx_in_dir("services:\n  web:\n    network_mode: ${NET}\n");
    assert_true(has_diag(f, DIAG_WARNING, "larger than 1 MiB"));
    assert_true(is_unknown(field(f, "services.web", "network_mode")));
    fx_free(f);
    remove_dir();
}

/* ---- casts ---------------------------------------------------------------- */

static void test_boolean_casts(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  a: {image: x, privileged: \"yes\", read_only: \"Off\"}\n"
                   "  b: {image: x, privileged: \"TRUE\", read_only: on}\n"
                   "  c: {image: x, privileged: \"1\", read_only: 0}\n"
                   "  d: {image: x, privileged: \"${P:-n}\"}\n");
    assert_true(get_bool(field(f, "services.a", "privileged")));
    assert_false(get_bool(field(f, "services.a", "read_only")));
    assert_int_equal(line_of(field(f, "services.a", "privileged")), 2);
    assert_true(get_bool(field(f, "services.b", "privileged")));
    assert_true(get_bool(field(f, "services.b", "read_only")));
    assert_null(field(f, "services.c", "privileged"));
    assert_null(field(f, "services.c", "read_only"));
    assert_true(has_diag(f, DIAG_ERROR, "invalid value \"1\" for boolean field \"privileged\""));
    assert_true(has_diag(f, DIAG_ERROR, "invalid value \"0\" for boolean field \"read_only\""));
    assert_false(get_bool(field(f, "services.d", "privileged")));
    fx_free(f);
}

/* ---- extends ---------------------------------------------------------------- */

static void test_extends(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  base:\n"
                   "    image: x\n"
                   "    privileged: true\n"
                   "    cap_add: [NET_ADMIN]\n"
                   "    volumes: [\"/a:/data\", \"/b:/keep\"]\n"
                   "    environment: {A: '1', B: '2'}\n"
                   "  mid:\n"
                   "    extends: base\n"
                   "    user: root\n"
                   "  child:\n"
                   "    extends: {service: mid}\n"
                   "    privileged: false\n"
                   "    cap_add: [SYS_PTRACE]\n"
                   "    volumes: [\"/c:/data\"]\n"
                   "    environment: {B: '3'}\n"
                   "  other-file:\n"
                   "    extends: {file: common.yml, service: base}\n"
                   "  missing:\n"
                   "    extends: nope\n"
                   "  loop1: {extends: loop2, image: x}\n"
                   "  loop2: {extends: loop1, image: x}\n");
    assert_true(f->ok);
    assert_true(get_bool(field(f, "services.mid", "privileged")));
    assert_int_equal(line_of(field(f, "services.mid", "privileged")), 4);
    assert_false(get_bool(field(f, "services.child", "privileged")));
    assert_string_equal(doc_text(field(f, "services.child", "user")), "root");
    const doc_node *caps = field(f, "services.child", "capAdd");
    assert_int_equal(doc_len(caps), 2);
    assert_string_equal(doc_text(doc_seq_at(caps, 0)), "NET_ADMIN");
    assert_string_equal(doc_text(doc_seq_at(caps, 1)), "SYS_PTRACE");
    const doc_node *mounts = field(f, "services.child", "mounts");
    assert_int_equal(doc_len(mounts), 2);  /* /a:/data replaced by /c:/data */
    assert_string_equal(doc_text(doc_get(doc_seq_at(mounts, 0), "target")), "/keep");
    assert_string_equal(doc_text(doc_get(doc_seq_at(mounts, 1), "source")), "/c");
    assert_string_equal(doc_text(field(f, "services.child", "environment.A")), "1");
    assert_string_equal(doc_text(field(f, "services.child", "environment.B")), "3");
    assert_null(field(f, "services.other-file", "privileged"));
    assert_true(has_diag(f, DIAG_NOTE, "extends a service of file \"common.yml\""));
    assert_true(has_diag(f, DIAG_WARNING, "extends \"nope\", which this file does not define"));
    assert_true(has_diag(f, DIAG_WARNING, "forms a cycle"));
    fx_free(f);
}

/* ---- derived fields --------------------------------------------------------- */

static void test_network_mode_chains(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  host: {image: x, network_mode: host}\n"
                   "  one: {image: x, network_mode: \"service:host\"}\n"
                   "  two: {image: x, network_mode: \"service:one\"}\n"
                   "  ext: {image: x, network_mode: \"service:elsewhere\"}\n"
                   "  plain: {image: x}\n"
                   "  joins-plain: {image: x, network_mode: \"service:plain\"}\n"
                   "  unk: {image: x, network_mode: $NET}\n"
                   "  via-unk: {image: x, network_mode: \"service:unk\"}\n"
                   "  a: {image: x, network_mode: \"service:b\"}\n"
                   "  b: {image: x, network_mode: \"service:a\"}\n"
                   "  p: {image: x, pid: \"service:host2\"}\n"
                   "  host2: {image: x, pid: host}\n");
    const doc_node *two = field(f, "services.two", "effectiveNetworkMode");
    assert_string_equal(doc_text(two), "host");
    assert_int_equal(line_of(two), 4);                 /* its own network_mode */
    int hops = 0;
    for (const doc_trace *t = doc_trace_of(two); t; t = t->next)
        hops++;
    assert_int_equal(hops, 2);
    assert_non_null(strstr(doc_trace_of(two)->note, "network_mode of service \"one\""));
    assert_string_equal(doc_text(field(f, "services.ext", "effectiveNetworkMode")),
                        "service:elsewhere");
    assert_null(field(f, "services.plain", "effectiveNetworkMode"));
    assert_string_equal(doc_text(field(f, "services.joins-plain", "effectiveNetworkMode")),
                        "service:plain");
    const doc_node *vu = field(f, "services.via-unk", "effectiveNetworkMode");
    assert_true(is_unknown(vu));
    assert_int_equal(line_of(vu), 9);
    assert_string_equal(doc_text(field(f, "services.a", "effectiveNetworkMode")), "service:b");
    assert_true(has_diag(f, DIAG_WARNING, "part of a cycle"));
    assert_string_equal(doc_text(field(f, "services.p", "effectivePidMode")), "host");
    fx_free(f);
}

static void test_runs_as_root(void **state)
{
    (void)state;
    static const struct {
        const char *user;
        int root;       /* 1 yes, 0 no, -1 unknown */
    } cases[] = {
        {NULL, 1},           {"root", 1},       {"0", 1},           {"\"0\"", 1},
        {"\"00:1000\"", 1},  {"root:staff", 1}, {"\"\"", 1},         {"\"1000\"", 0},
        {"\"1000:0\"", 0},   {"nobody", 0},     {"${UID}", -1},     {"\"${UID}:1000\"", -1},
        {"\"1000:${GID}\"", 0}, {"\"${UID:-0}\"", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char yaml[256];
        if (cases[i].user)
            snprintf(yaml, sizeof yaml, "services:\n  s:\n    image: x\n    user: %s\n",
                     cases[i].user);
        else
            snprintf(yaml, sizeof yaml, "services:\n  s:\n    image: x\n");
        fx *f = fx_new(yaml);
        const doc_node *r = field(f, "services.s", "runsAsRoot");
        if (cases[i].root < 0) {
            assert_true(is_unknown(r));
        } else {
            bool b = false;
            if (!doc_bool(r, &b) || b != (cases[i].root == 1))
                fail_msg("user %s: runsAsRoot %s", cases[i].user ? cases[i].user : "(unset)",
                         doc_text(r));
        }
        assert_int_equal(line_of(r), cases[i].user ? 4 : 2);
        fx_free(f);
    }
}

static void test_capabilities(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  s:\n"
                   "    image: x\n"
                   "    cap_add: [all, cap_sys_admin, Net_Raw, \"${C}\"]\n"
                   "    cap_drop: [CAP_CHOWN]\n"
                   "  bad: {image: x, cap_add: SYS_ADMIN}\n");
    const doc_node *add = field(f, "services.s", "capAdd");
    assert_int_equal(doc_len(add), 4);
    assert_string_equal(doc_text(doc_seq_at(add, 0)), "ALL");
    assert_string_equal(doc_text(doc_seq_at(add, 1)), "SYS_ADMIN");
    assert_string_equal(doc_text(doc_seq_at(add, 2)), "NET_RAW");
    assert_true(is_unknown(doc_seq_at(add, 3)));
    assert_string_equal(doc_text(doc_seq_at(field(f, "services.s", "capDrop"), 0)), "CHOWN");
    assert_true(has_diag(f, DIAG_ERROR, "not a list of capabilities"));
    fx_free(f);
}

static const doc_node *mount(const fx *f, const char *svc, size_t i)
{
    const doc_node *m = field(f, svc, "mounts");
    assert_true(i < doc_len(m));
    return doc_seq_at(m, i);
}

static const char *mtext(const doc_node *m, const char *key)
{
    const doc_node *v = doc_get(m, key);
    return v ? doc_text(v) : NULL;
}

static void test_mounts(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  s:\n"
                   "    image: x\n"
                   "    volumes:\n"
                   "      - /var/run//docker.sock:/var/run/docker.sock:ro,z\n"
                   "      - ./data:/data\n"
                   "      - named:/n\n"
                   "      - /anon\n"
                   "      - ~/cache:/cache:rw\n"
                   "      - C:\\data:/win\n"
                   "      - type: bind\n"
                   "        source: /etc/../proc\n"
                   "        target: /p\n"
                   "        read_only: \"true\"\n"
                   "      - type: volume\n"
                   "        source: devbound\n"
                   "        target: /d\n"
                   "      - type: tmpfs\n"
                   "        target: /t\n"
                   "      - ${SRC}:/u\n"
                   "      - a:b:c:d\n"
                   "volumes:\n"
                   "  named: {}\n"
                   "  devbound:\n"
                   "    driver: local\n"
                   "    driver_opts: {type: none, o: \"rbind,ro\", device: /etc/}\n");
    const doc_node *m0 = mount(f, "services.s", 0);
    assert_string_equal(mtext(m0, "type"), "bind");
    assert_string_equal(mtext(m0, "source"), "/var/run//docker.sock");
    assert_string_equal(mtext(m0, "target"), "/var/run/docker.sock");
    assert_string_equal(mtext(m0, "hostPath"), "/run/docker.sock");
    assert_true(get_bool(doc_get(m0, "readOnly")));
    assert_true(get_bool(doc_get(m0, "runtimeSocket")));
    assert_false(get_bool(doc_get(m0, "sensitiveHostPath")));
    assert_int_equal(line_of(doc_get(m0, "runtimeSocket")), 5);

    const doc_node *m1 = mount(f, "services.s", 1);
    assert_string_equal(mtext(m1, "type"), "bind");
    assert_string_equal(mtext(m1, "hostPath"), "./data");
    assert_false(get_bool(doc_get(m1, "runtimeSocket")));
    assert_false(get_bool(doc_get(m1, "readOnly")));

    const doc_node *m2 = mount(f, "services.s", 2);
    assert_string_equal(mtext(m2, "type"), "volume");
    assert_null(doc_get(m2, "hostPath"));

    const doc_node *m3 = mount(f, "services.s", 3);
    assert_string_equal(mtext(m3, "type"), "volume");
    assert_null(doc_get(m3, "source"));
    assert_string_equal(mtext(m3, "target"), "/anon");

    assert_string_equal(mtext(mount(f, "services.s", 4), "hostPath"), "~/cache");
    const doc_node *m5 = mount(f, "services.s", 5);
    assert_string_equal(mtext(m5, "source"), "C:\\data");
    assert_string_equal(mtext(m5, "target"), "/win");
    assert_string_equal(mtext(m5, "type"), "bind");

    const doc_node *m6 = mount(f, "services.s", 6);
    assert_string_equal(mtext(m6, "hostPath"), "/proc");
    assert_true(get_bool(doc_get(m6, "readOnly")));
    assert_true(get_bool(doc_get(m6, "sensitiveHostPath")));
    assert_int_equal(line_of(doc_get(m6, "sensitiveHostPath")), 12);
    assert_string_equal(mtext(m6, "name"), "/etc/../proc:/p");

    const doc_node *m7 = mount(f, "services.s", 7);
    assert_string_equal(mtext(m7, "hostPath"), "/etc");
    assert_true(get_bool(doc_get(m7, "sensitiveHostPath")));
    assert_int_equal(line_of(doc_get(m7, "hostPath")), 26);

    assert_null(doc_get(mount(f, "services.s", 8), "hostPath"));
    const doc_node *m9 = mount(f, "services.s", 9);
    assert_true(is_unknown(doc_get(m9, "runtimeSocket")));
    assert_true(is_unknown(doc_get(m9, "hostPath")));
    assert_int_equal(doc_len(field(f, "services.s", "mounts")), 10);   /* a:b:c:d refused */
    assert_true(has_diag(f, DIAG_ERROR, "invalid volume \"a:b:c:d\": too many \":\""));

    const doc_node *sock = field(f, "services.s", "runtimeSocketMounts");
    assert_int_equal(doc_len(sock), 2);           /* the socket, then the unknown */
    assert_true(is_unknown(doc_seq_at(sock, 1)));
    const doc_node *sens = field(f, "services.s", "sensitiveHostMounts");
    assert_int_equal(doc_len(sens), 3);           /* /proc, /etc, unknown */
    fx_free(f);
}

static void test_sensitive_paths(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        bool sensitive;
    } cases[] = {
        {"/:/h", true},
        {"/etc:/h", true},
        {"/etc/shadow:/h:ro", true},
        {"/var/lib:/h", true},
        {"/var:/h", true},
        {"/var/lib/docker/volumes:/h", true},
        {"/dev/snd:/dev/snd", true},
        {"/etc/localtime:/etc/localtime:ro", false},
        {"/etc/localtime:/etc/localtime", true},
        {"/etc/timezone:/etc/timezone:ro", false},
        {"/etcetera:/h", false},
        {"/var/log:/h", false},
        {"/srv/app/../../root:/h", true},
        {"/home/user:/h", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, "services:\n  s:\n    image: x\n    volumes: [\"%s\"]\n",
                 cases[i].spec);
        fx *f = fx_new(yaml);
        bool b = get_bool(doc_get(mount(f, "services.s", 0), "sensitiveHostPath"));
        if (b != cases[i].sensitive)
            fail_msg("%s: sensitiveHostPath %d", cases[i].spec, b);
        fx_free(f);
    }
}

static void test_security_opt(void **state)
{
    (void)state;
    fx *f = fx_new("services:\n"
                   "  none: {image: x}\n"
                   "  a:\n"
                   "    image: x\n"
                   "    security_opt:\n"
                   "      - no-new-privileges\n"
                   "      - seccomp=unconfined\n"
                   "      - apparmor:unconfined\n"
                   "      - label=disable\n"
                   "  b:\n"
                   "    image: x\n"
                   "    security_opt: [\"no-new-privileges:true\", \"no-new-privileges=false\", "
                   "\"label:seccomp:unconfined\", \"seccomp:/p.json\"]\n"
                   "  c:\n"
                   "    image: x\n"
                   "    security_opt: [\"no-new-privileges=T\", $OPT]\n"
                   "  d:\n"
                   "    image: x\n"
                   "    security_opt: [$OPT, \"no-new-privileges:maybe\",\n"
                   "                   \"no-new-privileges=1\"]\n");
    assert_false(get_bool(field(f, "services.none", "seccompUnconfined")));
    assert_false(get_bool(field(f, "services.none", "noNewPrivileges")));
    assert_int_equal(line_of(field(f, "services.none", "noNewPrivileges")), 2);
    assert_true(get_bool(field(f, "services.a", "noNewPrivileges")));
    assert_int_equal(line_of(field(f, "services.a", "noNewPrivileges")), 6);
    assert_true(get_bool(field(f, "services.a", "seccompUnconfined")));
    assert_int_equal(line_of(field(f, "services.a", "seccompUnconfined")), 7);
    assert_true(get_bool(field(f, "services.a", "apparmorUnconfined")));
    assert_true(get_bool(field(f, "services.a", "labelDisabled")));
    assert_false(get_bool(field(f, "services.b", "noNewPrivileges")));
    assert_false(get_bool(field(f, "services.b", "seccompUnconfined")));
    assert_false(get_bool(field(f, "services.b", "labelDisabled")));
    assert_true(is_unknown(field(f, "services.c", "noNewPrivileges")));
    assert_true(is_unknown(field(f, "services.c", "seccompUnconfined")));
    assert_true(get_bool(field(f, "services.d", "noNewPrivileges")));
    assert_true(has_diag(f, DIAG_WARNING, "invalid security option \"no-new-privileges:maybe\""));
    fx_free(f);
}

/* ---- limits ------------------------------------------------------------------- */

static void test_out_of_memory(void **state)
{
    (void)state;
    make_dir();
    write_file(".env", "NET=host\nPRIV=\"yes\"\n");
    static const char yaml[] =
        "services:\n"
        "  web:\n"
        "    image: app:${TAG:-1}\n"
        "    network_mode: ${NET}\n"
        "    privileged: ${PRIV}\n"
        "    user: \"1000:${GID}\"\n"
        "    cap_add: [sys_admin]\n"
        "    volumes: [\"/var/run/docker.sock:/s\", {type: bind, source: /etc, target: /e}]\n"
        "    security_opt: [no-new-privileges]\n"
        "  side: {extends: web, network_mode: \"service:web\"}\n";
    char path[512];
    snprintf(path, sizeof path, "%s/compose.yaml", tmpdir);
    bool completed = false;
    for (unsigned long n = 1; n < 4000 && !completed; n++) {
        bh_source *src = source_new(path, yaml, strlen(yaml));
        bh_arena *a = arena_new();
        bh_diags *diags = diags_new();
        bh_objlist *objs = objlist_new(a);
        doc_node **docs = NULL;
        long nd = bhyaml_parse(src, a, NULL, &docs, diags);
        assert_int_equal(nd, 1);
        arena_set_fail_after(n);
        bool ok = adapt_compose(docs[0], a, objs, diags);
        arena_set_fail_after(0);
        if (ok) {
            completed = true;
            assert_int_equal(objlist_len(objs), 2);
        }
        diags_free(diags);
        arena_free(a);
        source_free(src);
    }
    assert_true(completed);
    remove_dir();
}

static void test_interpolation_bomb(void **state)
{
    (void)state;
    make_dir();
    /* each reference to A is 64 KiB: 32 of them pass the 1 MiB cap */
    size_t n = 64 * 1024;
    char *env = malloc(n + 8);
    assert_non_null(env);
    memcpy(env, "A=", 2);
    memset(env + 2, 'x', n);
    memcpy(env + 2 + n, "\n", 2);
    write_file(".env", env);
    free(env);
    char yaml[512] = "services:\n  web:\n    hostname: \"";
    for (int i = 0; i < 32; i++)
        strcat(yaml, "${A}");
    strcat(yaml, "\"\n");
    fx *f = fx_in_dir(yaml);
    assert_true(is_unknown(field(f, "services.web", "hostname")));
    assert_true(has_diag(f, DIAG_WARNING, "longer than"));
    fx_free(f);
    remove_dir();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_objects),
        cmocka_unit_test(test_service_not_a_mapping),
        cmocka_unit_test(test_interpolation_forms),
        cmocka_unit_test(test_env_file),
        cmocka_unit_test(test_process_environment_ignored),
        cmocka_unit_test(test_env_not_regular),
        cmocka_unit_test(test_env_too_large),
        cmocka_unit_test(test_boolean_casts),
        cmocka_unit_test(test_extends),
        cmocka_unit_test(test_network_mode_chains),
        cmocka_unit_test(test_runs_as_root),
        cmocka_unit_test(test_capabilities),
        cmocka_unit_test(test_mounts),
        cmocka_unit_test(test_sensitive_paths),
        cmocka_unit_test(test_security_opt),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_interpolation_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
