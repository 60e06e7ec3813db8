/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wasm_iface.c: reads a payload's interface sections from its bytes, without allocating. */
#include "wasm_iface.h"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Counts above the implementation limits of the WebAssembly JS API are
 * absurd for a payload; they are rejected before any loop runs over them. */
#define LIMIT_TYPES 1000000u
#define LIMIT_FUNCTIONS 1000000u
#define LIMIT_IMPORTS 100000u
#define LIMIT_EXPORTS 100000u
#define LIMIT_PARAMS 1000u
#define LIMIT_RESULTS 1000u

/* Names longer than this are cut short in messages. */
#define NAME_SHOWN_MAX 64u
/* Value types past this many are summarised in messages. */
#define TYPES_SHOWN_MAX 8u

enum {
        SECTION_CUSTOM = 0,
        SECTION_TYPE = 1,
        SECTION_IMPORT = 2,
        SECTION_FUNCTION = 3,
        SECTION_TABLE = 4,
        SECTION_MEMORY = 5,
        SECTION_GLOBAL = 6,
        SECTION_EXPORT = 7,
        SECTION_START = 8,
        SECTION_ELEMENT = 9,
        SECTION_CODE = 10,
        SECTION_DATA = 11,
        SECTION_DATA_COUNT = 12,
        SECTION_TAG = 13,
        SECTION_ID_COUNT
};

/* Section names, and their rank in the order the binary format requires
 * (custom sections, rank 0, may appear anywhere). */
static const struct {
        const char *name;
        uint8_t rank;
} section_kinds[SECTION_ID_COUNT] = {
        [SECTION_CUSTOM] = { "custom", 0 },       [SECTION_TYPE] = { "type", 1 },
        [SECTION_IMPORT] = { "import", 2 },       [SECTION_FUNCTION] = { "function", 3 },
        [SECTION_TABLE] = { "table", 4 },         [SECTION_MEMORY] = { "memory", 5 },
        [SECTION_TAG] = { "tag", 6 },             [SECTION_GLOBAL] = { "global", 7 },
        [SECTION_EXPORT] = { "export", 8 },       [SECTION_START] = { "start", 9 },
        [SECTION_ELEMENT] = { "element", 10 },    [SECTION_DATA_COUNT] = { "data count", 11 },
        [SECTION_CODE] = { "code", 12 },          [SECTION_DATA] = { "data", 13 },
};

enum {
        KIND_FUNCTION = 0,
        KIND_TABLE = 1,
        KIND_MEMORY = 2,
        KIND_GLOBAL = 3,
        KIND_TAG = 4,
        KIND_COUNT
};

static const char *const kind_phrases[KIND_COUNT] = {
        [KIND_FUNCTION] = "a function", [KIND_TABLE] = "a table", [KIND_MEMORY] = "a memory",
        [KIND_GLOBAL] = "a global",     [KIND_TAG] = "a tag",
};

enum {
        FUNCTYPE_FORM = 0x60,
        LIMITS_HAS_MAX = 0x01,
        LIMITS_SHARED = 0x02,
        LIMITS_64 = 0x04,
        VALTYPE_I32 = 0x7f,
        VALTYPE_I64 = 0x7e,
        VALTYPE_F32 = 0x7d,
        VALTYPE_F64 = 0x7c,
        VALTYPE_V128 = 0x7b,
        VALTYPE_FUNCREF = 0x70,
        VALTYPE_EXTERNREF = 0x6f,
};

/* A function type: value type bytes, pointing into the module or into the
 * expected signatures below. */
struct functype {
        uint32_t param_count;
        const uint8_t *params;
        uint32_t result_count;
        const uint8_t *results;
};

static const uint8_t one_f32[] = { VALTYPE_F32 };
static const uint8_t one_i32[] = { VALTYPE_I32 };
static const uint8_t two_i32[] = { VALTYPE_I32, VALTYPE_I32 };

static const struct functype sig_void_to_f32 = { 0, NULL, 1, one_f32 };
static const struct functype sig_void_to_i32 = { 0, NULL, 1, one_i32 };
static const struct functype sig_i32_i32_to_void = { 2, two_i32, 0, NULL };

static const char host_module[] = "aether";

static const struct {
        const char *name;
        const struct functype *type;
} host_functions[AETHER_WASM_IMPORT_COUNT] = {
        [AETHER_WASM_IMPORT_READ_ATMOSPHERIC_PRESSURE] = { "read_atmospheric_pressure", &sig_void_to_f32 },
        [AETHER_WASM_IMPORT_READ_RADIATION_DOSIMETER] = { "read_radiation_dosimeter", &sig_void_to_i32 },
        [AETHER_WASM_IMPORT_COMMIT_TELEMETRY_VECTOR] = { "commit_telemetry_vector", &sig_i32_i32_to_void },
        [AETHER_WASM_IMPORT_COMMIT_UPLINK] = { "commit_uplink", &sig_i32_i32_to_void },
};

/* The exports the enclave looks up; any other export is ignored. */
enum {
        EXPORT_EVALUATE_LIMITS,
        EXPORT_DIAGNOSTIC,
        EXPORT_PAYLOAD_VERSION,
        EXPORT_MEMORY,
        EXPORT_COUNT
};

static const char *const export_names[EXPORT_COUNT] = {
        [EXPORT_EVALUATE_LIMITS] = "evaluate_limits",
        [EXPORT_DIAGNOSTIC] = "diagnostic",
        [EXPORT_PAYLOAD_VERSION] = "payload_version",
        [EXPORT_MEMORY] = "memory",
};

/* A bounded cursor over [pos, end) of the module; offsets are file offsets. */
struct reader {
        size_t pos;
        size_t end;
};

/* A text buffer that silently truncates: messages never overflow. */
struct text {
        char *buf;
        size_t size;
        size_t len;
};

struct module {
        const uint8_t *wasm;
        size_t size;
        uint32_t max_pages;
        struct aether_wasm_iface *iface;
        struct text message;

        int section_id; /* the section being parsed, or -1 between sections */
        size_t section_offset;

        /* The type and function sections are kept as spans and rescanned on
         * lookup: no table grows with the module. */
        struct reader types;
        uint32_t type_count;
        struct reader functions;
        uint32_t function_count;

        uint32_t imported_function_count;
        uint32_t imported_function_types[AETHER_WASM_IMPORT_COUNT];
        uint32_t import_position[AETHER_WASM_IMPORT_COUNT];

        uint32_t memory_count;
        bool exported[EXPORT_COUNT];
        bool has_code;
};

__attribute__((format(printf, 2, 0))) static void text_vadd(struct text *t, const char *format, va_list args) {
        if (t->len + 1 >= t->size)
                return;
        int n = vsnprintf(t->buf + t->len, t->size - t->len, format, args);
        if (n < 0)
                return;
        t->len += (size_t)n < t->size - t->len ? (size_t)n : t->size - t->len - 1;
}

__attribute__((format(printf, 2, 3))) static void text_add(struct text *t, const char *format, ...) {
        va_list args;
        va_start(args, format);
        text_vadd(t, format, args);
        va_end(args);
}

static const char *valtype_name(uint8_t valtype) {
        switch (valtype) {
        case VALTYPE_I32:
                return "i32";
        case VALTYPE_I64:
                return "i64";
        case VALTYPE_F32:
                return "f32";
        case VALTYPE_F64:
                return "f64";
        case VALTYPE_V128:
                return "v128";
        case VALTYPE_FUNCREF:
                return "funcref";
        case VALTYPE_EXTERNREF:
                return "externref";
        }
        return NULL;
}

static void text_add_valtypes(struct text *t, uint32_t count, const uint8_t *valtypes) {
        for (uint32_t i = 0; i < count; i++) {
                if (i == TYPES_SHOWN_MAX) {
                        text_add(t, ", ... %u in all", count);
                        return;
                }
                text_add(t, "%s%s", i ? ", " : "", valtype_name(valtypes[i]));
        }
}

/* "(i32, i32) -> nil", "() -> i32", "() -> (i32, i64)". */
static void text_add_functype(struct text *t, const struct functype *type) {
        text_add(t, "(");
        text_add_valtypes(t, type->param_count, type->params);
        text_add(t, ") -> ");
        if (type->result_count == 0) {
                text_add(t, "nil");
        } else if (type->result_count == 1) {
                text_add_valtypes(t, 1, type->results);
        } else {
                text_add(t, "(");
                text_add_valtypes(t, type->result_count, type->results);
                text_add(t, ")");
        }
}

/* A name from the module, printable ASCII as is, other bytes as \xNN. */
static void text_add_name(struct text *t, const uint8_t *name, uint32_t length) {
        for (uint32_t i = 0; i < length; i++) {
                if (i == NAME_SHOWN_MAX) {
                        text_add(t, "...");
                        return;
                }
                if (name[i] >= 0x20 && name[i] < 0x7f && name[i] != '\\')
                        text_add(t, "%c", name[i]);
                else
                        text_add(t, "\\x%02x", name[i]);
        }
}

static bool name_is(const uint8_t *name, uint32_t length, const char *expected) {
        size_t expected_length = strlen(expected);
        return length == expected_length && memcmp(name, expected, length) == 0;
}

static bool functype_equal(const struct functype *a, const struct functype *b) {
        return a->param_count == b->param_count && a->result_count == b->result_count &&
               (a->param_count == 0 || memcmp(a->params, b->params, a->param_count) == 0) &&
               (a->result_count == 0 || memcmp(a->results, b->results, a->result_count) == 0);
}

/* A rejection that is about the interface, not the encoding. */
__attribute__((format(printf, 2, 3))) static bool reject(struct module *m, const char *format, ...) {
        va_list args;
        va_start(args, format);
        text_vadd(&m->message, format, args);
        va_end(args);
        return false;
}

/* Starts a message about the bytes of the current section or section header. */
static void begin_encoding_error(struct module *m, const char *problem) {
        if (m->section_id < 0)
                text_add(&m->message, "%s section header at offset 0x%zx: ", problem, m->section_offset);
        else
                text_add(&m->message, "%s section %s (id %d) at offset 0x%zx: ", problem,
                         section_kinds[m->section_id].name, m->section_id, m->section_offset);
}

__attribute__((format(printf, 2, 3))) static bool malformed(struct module *m, const char *format, ...) {
        begin_encoding_error(m, "malformed");
        va_list args;
        va_start(args, format);
        text_vadd(&m->message, format, args);
        va_end(args);
        return false;
}

static bool truncated(struct module *m, const struct reader *r, const char *what, size_t at) {
        begin_encoding_error(m, "truncated");
        if (m->section_id < 0)
                return reject(m, "the %s at offset 0x%zx runs past the end of the file (%zu bytes)", what, at,
                              m->size);
        return reject(m, "the %s at offset 0x%zx runs past the end of the section at 0x%zx", what, at, r->end);
}

static bool read_byte(struct module *m, struct reader *r, const char *what, uint8_t *out) {
        if (r->pos >= r->end)
                return truncated(m, r, what, r->pos);
        *out = m->wasm[r->pos++];
        return true;
}

/* Unsigned LEB128, at most 5 bytes, the unused bits of the fifth byte zero. */
static bool read_u32(struct module *m, struct reader *r, const char *what, uint32_t *out) {
        size_t start = r->pos;
        uint32_t value = 0;
        for (unsigned i = 0; i < 5; i++) {
                uint8_t byte;
                if (r->pos >= r->end)
                        return truncated(m, r, what, start);
                byte = m->wasm[r->pos++];
                value |= (uint32_t)(byte & 0x7f) << (7 * i);
                if (!(byte & 0x80)) {
                        if (i == 4 && (byte & 0x70))
                                return malformed(m, "the %s at offset 0x%zx is a LEB128 that overflows 32 bits",
                                                 what, start);
                        *out = value;
                        return true;
                }
        }
        return malformed(m, "the %s at offset 0x%zx is a LEB128 longer than 5 bytes", what, start);
}

static bool read_count(struct module *m, struct reader *r, const char *what, uint32_t limit, uint32_t *out) {
        size_t start = r->pos;
        if (!read_u32(m, r, what, out))
                return false;
        if (*out > limit)
                return malformed(m, "the %s at offset 0x%zx is %u, above the limit of %u", what, start, *out,
                                 limit);
        return true;
}

static bool read_name(struct module *m, struct reader *r, const char *what, const uint8_t **name,
                      uint32_t *length) {
        size_t start = r->pos;
        if (!read_u32(m, r, what, length))
                return false;
        if (*length > r->end - r->pos)
                return truncated(m, r, what, start);
        *name = m->wasm + r->pos;
        r->pos += *length;
        return true;
}

static bool read_valtypes(struct module *m, struct reader *r, const char *what, uint32_t limit, uint32_t *count,
                          const uint8_t **valtypes) {
        if (!read_count(m, r, what, limit, count))
                return false;
        if (*count > r->end - r->pos)
                return truncated(m, r, "value types", r->pos);
        *valtypes = m->wasm + r->pos;
        for (uint32_t i = 0; i < *count; i++, r->pos++)
                if (!valtype_name(m->wasm[r->pos]))
                        return malformed(m, "unknown value type 0x%02x at offset 0x%zx", m->wasm[r->pos],
                                         r->pos);
        return true;
}

static bool read_functype(struct module *m, struct reader *r, uint32_t index, struct functype *type) {
        size_t start = r->pos;
        uint8_t form;
        if (!read_byte(m, r, "type form", &form))
                return false;
        if (form != FUNCTYPE_FORM)
                return malformed(m, "type %u at offset 0x%zx has form 0x%02x, expected 0x60 (a function type)",
                                 index, start, form);
        return read_valtypes(m, r, "parameter count", LIMIT_PARAMS, &type->param_count, &type->params) &&
               read_valtypes(m, r, "result count", LIMIT_RESULTS, &type->result_count, &type->results);
}

/* Type index -> function type, by rescanning the (already checked) type section. */
static bool find_functype(struct module *m, uint32_t index, struct functype *type) {
        struct reader r = m->types;
        if (index >= m->type_count)
                return malformed(m, "type index %u is out of range, the module has %u types", index,
                                 m->type_count);
        for (uint32_t i = 0; i <= index; i++)
                if (!read_functype(m, &r, i, type))
                        return false;
        return true;
}

/* Function index -> function type: imports come first in the index space. */
static bool find_function_type(struct module *m, uint32_t function, struct functype *type) {
        uint32_t type_index = 0;
        if (function < m->imported_function_count)
                return find_functype(m, m->imported_function_types[function], type);
        if (function - m->imported_function_count >= m->function_count)
                return malformed(m, "function index %u is out of range, the module has %u functions", function,
                                 m->imported_function_count + m->function_count);
        struct reader r = m->functions;
        for (uint32_t i = 0; i <= function - m->imported_function_count; i++)
                if (!read_u32(m, &r, "function type index", &type_index))
                        return false;
        return find_functype(m, type_index, type);
}

static bool parse_type_section(struct module *m, struct reader *r) {
        struct functype type;
        if (!read_count(m, r, "type count", LIMIT_TYPES, &m->type_count))
                return false;
        if (m->type_count > AETHER_CFG_FUNC_TYPE_CAP)
                return reject(m, "%u function types, above the runtime's limit of %u (AETHER_CFG_FUNC_TYPE_CAP)",
                              m->type_count, AETHER_CFG_FUNC_TYPE_CAP);
        m->types = *r;
        uint64_t type_bytes = 0;
        for (uint32_t i = 0; i < m->type_count; i++) {
                if (!read_functype(m, r, i, &type))
                        return false;
                type_bytes += (uint64_t)type.param_count + type.result_count;
        }
        if (type_bytes > AETHER_CFG_FUNC_TYPE_POOL)
                return reject(m, "function types with %llu parameters and results in all, above the runtime's "
                              "limit of %u (AETHER_CFG_FUNC_TYPE_POOL)",
                              (unsigned long long)type_bytes, AETHER_CFG_FUNC_TYPE_POOL);
        return true;
}

static void text_add_host_functions(struct text *t) {
        for (unsigned i = 0; i < AETHER_WASM_IMPORT_COUNT; i++) {
                text_add(t, "%s%s.%s: ", i ? ", " : "", host_module, host_functions[i].name);
                text_add_functype(t, host_functions[i].type);
        }
}

static void text_add_import(struct text *t, const uint8_t *module_name, uint32_t module_length,
                            const uint8_t *field, uint32_t field_length) {
        text_add(t, "import ");
        text_add_name(t, module_name, module_length);
        text_add(t, ".");
        text_add_name(t, field, field_length);
}

/* Foreign function imports (none of the runtime's host functions), listed in
 * full so that one rejection names them all. */
#define FOREIGN_SHOWN_MAX 32u
struct foreign_imports {
        struct text list; /* "env.abort ((i32) -> nil), wasi_snapshot_preview1.fd_write (...)" */
        uint32_t count;
        bool outside_aether; /* one of them is from a module other than "aether": libc or WASI */
};

static void add_foreign_import(struct foreign_imports *foreign, const uint8_t *module_name, uint32_t module_length,
                               const uint8_t *field, uint32_t field_length, const struct functype *type) {
        if (!name_is(module_name, module_length, host_module))
                foreign->outside_aether = true;
        if (foreign->count++ >= FOREIGN_SHOWN_MAX)
                return;
        text_add(&foreign->list, "%s", foreign->count > 1 ? ", " : "");
        text_add_name(&foreign->list, module_name, module_length);
        text_add(&foreign->list, ".");
        text_add_name(&foreign->list, field, field_length);
        text_add(&foreign->list, " (");
        text_add_functype(&foreign->list, type);
        text_add(&foreign->list, ")");
}

/* The rejection of a module with foreign imports: all of them, what the runtime
 * provides, and, for libc or WASI imports, how to build without them. */
static bool reject_foreign_imports(struct module *m, const struct foreign_imports *foreign) {
        text_add(&m->message, "import%s %s", foreign->count > 1 ? "s" : "", foreign->list.buf);
        if (foreign->count > FOREIGN_SHOWN_MAX)
                text_add(&m->message, " and %u more", foreign->count - FOREIGN_SHOWN_MAX);
        text_add(&m->message, " %s not provided by the Aether runtime, which provides only ",
                 foreign->count > 1 ? "are" : "is");
        text_add_host_functions(&m->message);
        if (foreign->outside_aether)
                text_add(&m->message,
                         ". A payload links no libc and no WASI: with clang, build with --target=wasm32 -nostdlib, "
                         "call no libc function, and declare host functions with "
                         "__attribute__((import_module(\"aether\"))) as aether_guest.h does; with Rust, write "
                         "#![no_std] with crate-type = [\"cdylib\"] and build for --target wasm32-unknown-unknown, "
                         "not wasm32-wasi");
        return false;
}

/* Checks one function import; a foreign one is added to *foreign. */
static bool check_function_import(struct module *m, uint32_t position, const uint8_t *module_name,
                                  uint32_t module_length, const uint8_t *field, uint32_t field_length,
                                  uint32_t type_index, struct foreign_imports *foreign) {
        struct functype type;
        if (!find_functype(m, type_index, &type))
                return false;

        unsigned host = AETHER_WASM_IMPORT_COUNT;
        if (name_is(module_name, module_length, host_module))
                for (unsigned i = 0; i < AETHER_WASM_IMPORT_COUNT; i++)
                        if (name_is(field, field_length, host_functions[i].name))
                                host = i;

        if (host == AETHER_WASM_IMPORT_COUNT) {
                add_foreign_import(foreign, module_name, module_length, field, field_length, &type);
                return true;
        }
        if (!functype_equal(&type, host_functions[host].type)) {
                text_add_import(&m->message, module_name, module_length, field, field_length);
                text_add(&m->message, " has type ");
                text_add_functype(&m->message, &type);
                text_add(&m->message, ", expected ");
                text_add_functype(&m->message, host_functions[host].type);
                return false;
        }
        if (m->iface->imports[host]) {
                text_add_import(&m->message, module_name, module_length, field, field_length);
                return reject(m, " appears twice (imports %u and %u): import each host function at most once",
                              m->import_position[host], position);
        }

        m->iface->imports[host] = true;
        m->import_position[host] = position;
        /* Every accepted function import is a distinct host function, so at
         * most AETHER_WASM_IMPORT_COUNT of them get here. */
        m->imported_function_types[m->imported_function_count++] = type_index;
        return true;
}

static bool parse_import_section(struct module *m, struct reader *r) {
        char foreign_list[AETHER_WASM_MESSAGE_MAX];
        struct foreign_imports foreign = { .list = { .buf = foreign_list, .size = sizeof(foreign_list) } };
        foreign_list[0] = '\0';
        uint32_t count;
        if (!read_count(m, r, "import count", LIMIT_IMPORTS, &count))
                return false;
        for (uint32_t i = 0; i < count; i++) {
                const uint8_t *module_name, *field;
                uint32_t module_length, field_length, type_index;
                uint8_t kind;
                if (!read_name(m, r, "import module name", &module_name, &module_length) ||
                    !read_name(m, r, "import field name", &field, &field_length) ||
                    !read_byte(m, r, "import kind", &kind))
                        return false;
                if (kind >= KIND_COUNT)
                        return malformed(m, "import %u at offset 0x%zx has unknown kind 0x%02x", i, r->pos - 1,
                                         kind);
                if (kind != KIND_FUNCTION) {
                        text_add_import(&m->message, module_name, module_length, field, field_length);
                        return reject(m,
                                      " is %s, expected a function: the Aether runtime provides no memories, "
                                      "tables, globals or tags (a payload defines its own memory and exports "
                                      "it as \"memory\")",
                                      kind_phrases[kind]);
                }
                if (!read_u32(m, r, "import type index", &type_index) ||
                    !check_function_import(m, i, module_name, module_length, field, field_length, type_index,
                                           &foreign))
                        return false;
        }
        return foreign.count == 0 || reject_foreign_imports(m, &foreign);
}

static bool parse_function_section(struct module *m, struct reader *r) {
        uint32_t type_index;
        if (!read_count(m, r, "function count", LIMIT_FUNCTIONS, &m->function_count))
                return false;
        m->functions = *r;
        for (uint32_t i = 0; i < m->function_count; i++) {
                size_t start = r->pos;
                if (!read_u32(m, r, "function type index", &type_index))
                        return false;
                if (type_index >= m->type_count)
                        return malformed(m, "function %u at offset 0x%zx has type index %u, the module has %u types",
                                         m->imported_function_count + i, start, type_index, m->type_count);
        }
        return true;
}

static bool parse_memory_section(struct module *m, struct reader *r) {
        uint8_t flags;
        uint32_t min, max = AETHER_WASM_NO_MAXIMUM;
        if (!read_u32(m, r, "memory count", &m->memory_count))
                return false;
        if (m->memory_count > 1)
                return reject(m,
                              "uses feature multi-memory, not supported by the Aether runtime: the module defines "
                              "%u memories, the runtime provides exactly one",
                              m->memory_count);
        if (m->memory_count == 0)
                return true;

        size_t start = r->pos;
        if (!read_byte(m, r, "memory limits flags", &flags))
                return false;
        if (flags & ~(LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_64))
                return malformed(m, "memory 0 limits flags at offset 0x%zx are 0x%02x, unknown bits set", start,
                                 flags);
        if (flags & LIMITS_64)
                return reject(m,
                              "uses feature memory64, not supported by the Aether runtime: memory 0 at offset "
                              "0x%zx has 64-bit limits (flags 0x%02x)",
                              start, flags);
        if (flags & LIMITS_SHARED)
                return reject(m,
                              "uses feature threads (shared memory), not supported by the Aether runtime: memory 0 "
                              "at offset 0x%zx is shared (flags 0x%02x)",
                              start, flags);
        if (!read_u32(m, r, "memory minimum", &min))
                return false;
        if ((flags & LIMITS_HAS_MAX) && !read_u32(m, r, "memory maximum", &max))
                return false;
        if (min > AETHER_WASM_PAGES_LIMIT)
                return malformed(m, "memory 0 minimum of %u pages is above the 4 GiB limit of %u pages", min,
                                 AETHER_WASM_PAGES_LIMIT);
        if ((flags & LIMITS_HAS_MAX) && max > AETHER_WASM_PAGES_LIMIT)
                return malformed(m, "memory 0 maximum of %u pages is above the 4 GiB limit of %u pages", max,
                                 AETHER_WASM_PAGES_LIMIT);
        if ((flags & LIMITS_HAS_MAX) && max < min)
                return malformed(m, "memory 0 maximum of %u pages is below its minimum of %u pages", max, min);

        m->iface->memory_flags = flags;
        m->iface->memory_min_pages = min;
        m->iface->memory_max_pages = max;
        return true;
}

/* The runtime keeps one funcref and one externref table, of at most
 * AETHER_CFG_TABLE_CAP elements each, in static storage. */
static bool parse_table_section(struct module *m, struct reader *r) {
        uint32_t count, per_kind[2] = {0, 0};
        if (!read_u32(m, r, "table count", &count))
                return false;
        for (uint32_t i = 0; i < count; i++) {
                size_t start = r->pos;
                uint8_t element_type, flags;
                uint32_t min, max;
                if (!read_byte(m, r, "table element type", &element_type) ||
                    !read_byte(m, r, "table limits flags", &flags))
                        return false;
                if (element_type != VALTYPE_FUNCREF && element_type != VALTYPE_EXTERNREF)
                        return malformed(m, "table %u at offset 0x%zx has element type 0x%02x, expected funcref "
                                            "(0x70) or externref (0x6f)", i, start, element_type);
                if (flags & ~LIMITS_HAS_MAX)
                        return malformed(m, "table %u limits flags at offset 0x%zx are 0x%02x, unknown bits set", i,
                                         start, flags);
                if (!read_u32(m, r, "table minimum", &min) ||
                    ((flags & LIMITS_HAS_MAX) && !read_u32(m, r, "table maximum", &max)))
                        return false;
                if ((flags & LIMITS_HAS_MAX) && max < min)
                        return malformed(m, "table %u maximum of %u elements is below its minimum of %u", i, max, min);
                const char *kind = element_type == VALTYPE_FUNCREF ? "funcref" : "externref";
                if (++per_kind[element_type == VALTYPE_FUNCREF ? 0 : 1] > 1)
                        return reject(m, "table %u is a second %s table; the Aether runtime provides one table of "
                                         "each kind", i, kind);
                if (min > AETHER_CFG_TABLE_CAP)
                        return reject(m, "table %u (%s) has a minimum of %u elements, above the runtime's limit of "
                                         "%u (AETHER_CFG_TABLE_CAP)", i, kind, min, AETHER_CFG_TABLE_CAP);
        }
        return true;
}

static bool check_function_export(struct module *m, unsigned export, uint8_t kind, uint32_t index) {
        struct functype type;
        if (kind != KIND_FUNCTION) {
                text_add(&m->message, "export %s is %s, expected a function ", export_names[export],
                         kind_phrases[kind]);
                text_add_functype(&m->message, &sig_void_to_i32);
                return false;
        }
        if (!find_function_type(m, index, &type))
                return false;
        if (!functype_equal(&type, &sig_void_to_i32)) {
                text_add(&m->message, "export %s has type ", export_names[export]);
                text_add_functype(&m->message, &type);
                text_add(&m->message, ", expected ");
                text_add_functype(&m->message, &sig_void_to_i32);
                return false;
        }
        return true;
}

static bool parse_export_section(struct module *m, struct reader *r) {
        uint32_t count;
        if (!read_count(m, r, "export count", LIMIT_EXPORTS, &count))
                return false;
        for (uint32_t i = 0; i < count; i++) {
                const uint8_t *name;
                uint32_t length, index;
                uint8_t kind;
                if (!read_name(m, r, "export name", &name, &length) || !read_byte(m, r, "export kind", &kind))
                        return false;
                if (kind >= KIND_COUNT)
                        return malformed(m, "export %u at offset 0x%zx has unknown kind 0x%02x", i, r->pos - 1,
                                         kind);
                if (!read_u32(m, r, "export index", &index))
                        return false;

                unsigned export = EXPORT_COUNT;
                for (unsigned e = 0; e < EXPORT_COUNT; e++)
                        if (name_is(name, length, export_names[e]))
                                export = e;
                if (export == EXPORT_COUNT)
                        continue;
                if (m->exported[export])
                        return malformed(m, "export %s appears twice", export_names[export]);
                m->exported[export] = true;

                if (export != EXPORT_MEMORY) {
                        if (!check_function_export(m, export, kind, index))
                                return false;
                } else if (kind != KIND_MEMORY) {
                        return reject(m, "export memory is %s, expected memory 0, the module's linear memory",
                                      kind_phrases[kind]);
                } else if (index != 0 || m->memory_count == 0) {
                        return reject(m,
                                      "export memory refers to memory %u, but the module defines %u memories: "
                                      "export memory 0, defined in the module",
                                      index, m->memory_count);
                }
        }
        m->iface->has_diagnostic = m->exported[EXPORT_DIAGNOSTIC];
        m->iface->has_payload_version = m->exported[EXPORT_PAYLOAD_VERSION];
        return true;
}

/* Only the body count: a module cut short at a section boundary still fails. */
static bool parse_code_section(struct module *m, struct reader *r) {
        uint32_t count;
        if (!read_u32(m, r, "function body count", &count))
                return false;
        if (count != m->function_count)
                return malformed(m, "%u function bodies for the %u functions of the function section", count,
                                 m->function_count);
        m->has_code = true;
        r->pos = r->end;
        return true;
}

static bool parse_section(struct module *m, struct reader *r) {
        switch (m->section_id) {
        case SECTION_TYPE:
                return parse_type_section(m, r);
        case SECTION_IMPORT:
                return parse_import_section(m, r);
        case SECTION_FUNCTION:
                return parse_function_section(m, r);
        case SECTION_TABLE:
                return parse_table_section(m, r);
        case SECTION_MEMORY:
                return parse_memory_section(m, r);
        case SECTION_EXPORT:
                return parse_export_section(m, r);
        case SECTION_CODE:
                return parse_code_section(m, r);
        case SECTION_TAG:
                return reject(m,
                              "uses feature exceptions, not supported by the Aether runtime: tag section (id 13) "
                              "at offset 0x%zx",
                              m->section_offset);
        }
        /* Custom, global, start, element, data and data count sections say
         * nothing about the interface; wasm-validate checks them. */
        r->pos = r->end;
        return true;
}

static bool parse_sections(struct module *m) {
        struct reader file = { 8, m->size };
        int previous_id = -1;
        while (file.pos < file.end) {
                uint8_t id = m->wasm[file.pos];
                uint32_t length;
                m->section_id = -1;
                m->section_offset = file.pos++;
                if (id >= SECTION_ID_COUNT)
                        return malformed(m, "unknown section id %u", id);
                if (!read_u32(m, &file, "section size", &length))
                        return false;
                m->section_id = id;
                if (length > file.end - file.pos)
                        return reject(m,
                                      "truncated section %s (id %u) at offset 0x%zx: it declares %u bytes, only "
                                      "%zu remain in the file",
                                      section_kinds[id].name, id, m->section_offset, length, file.end - file.pos);
                if (section_kinds[id].rank != 0 && previous_id >= 0) {
                        if (previous_id == id)
                                return malformed(m, "the module has a second %s section", section_kinds[id].name);
                        if (section_kinds[id].rank < section_kinds[previous_id].rank)
                                return malformed(m, "out of order, section %s (id %d) must come after it",
                                                 section_kinds[previous_id].name, previous_id);
                }
                if (section_kinds[id].rank != 0)
                        previous_id = id;

                struct reader section = { file.pos, file.pos + length };
                if (!parse_section(m, &section))
                        return false;
                if (section.pos != section.end)
                        return malformed(m, "%zu bytes at offset 0x%zx left over after its contents",
                                         section.end - section.pos, section.pos);
                file.pos = section.end;
        }
        m->section_id = -1;
        return true;
}

static bool check_header(struct module *m) {
        static const uint8_t magic[4] = { 0x00, 'a', 's', 'm' };
        size_t shown = m->size < 4 ? m->size : 4;

        if (shown && memcmp(m->wasm, magic, shown) != 0) {
                text_add(&m->message, "bad magic at offset 0x0: found");
                for (size_t i = 0; i < shown; i++)
                        text_add(&m->message, " %02x", m->wasm[i]);
                text_add(&m->message, ", expected 00 61 73 6d (\"\\0asm\"): not a WebAssembly binary module");
                size_t first = 0;
                while (first < m->size && (m->wasm[first] == ' ' || m->wasm[first] == '\t' ||
                                           m->wasm[first] == '\r' || m->wasm[first] == '\n'))
                        first++;
                if (first < m->size && (m->wasm[first] == '(' || m->wasm[first] == ';'))
                        text_add(&m->message, " (it looks like WebAssembly text: assemble it with wat2wasm)");
                return false;
        }
        if (m->size < 8)
                return reject(m,
                              "truncated header at offset 0x0: the file is %zu bytes, a WebAssembly module "
                              "starts with an 8-byte magic and version",
                              m->size);

        uint32_t version = (uint32_t)m->wasm[4] | (uint32_t)m->wasm[5] << 8 | (uint32_t)m->wasm[6] << 16 |
                           (uint32_t)m->wasm[7] << 24;
        if (version != 1)
                return reject(m, "unsupported binary version 0x%08x at offset 0x4, expected 1 (a core module)%s",
                              version, version >> 16 == 1 ? ": this is a component, not a core module" : "");
        return true;
}

static bool check_interface(struct module *m) {
        struct aether_wasm_iface *iface = m->iface;
        if (m->function_count > 0 && !m->has_code)
                return reject(m,
                              "truncated module: the function section declares %u functions, but the file "
                              "ends without a code section",
                              m->function_count);
        if (m->memory_count == 0)
                return reject(m,
                              "the module defines no memory: the Aether runtime needs exactly one memory, defined "
                              "in the module and exported as \"memory\"");
        if (!m->exported[EXPORT_EVALUATE_LIMITS])
                return reject(m,
                              "export evaluate_limits is missing: every payload exports evaluate_limits: () -> "
                              "i32, which the enclave calls on each wake");
        if (!m->exported[EXPORT_MEMORY])
                return reject(m,
                              "export memory is missing: the payload's memory must be exported as \"memory\" (with "
                              "clang, do not pass --import-memory)");
        if (iface->memory_min_pages > m->max_pages) {
                text_add(&m->message,
                         "memory 0 has a minimum of %u pages (%u KiB), above the cap of %u pages (%u KiB); its "
                         "maximum is ",
                         iface->memory_min_pages, iface->memory_min_pages * 64u, m->max_pages,
                         m->max_pages * 64u); /* max_pages < min_pages <= AETHER_WASM_PAGES_LIMIT */
                if (iface->memory_max_pages == AETHER_WASM_NO_MAXIMUM)
                        text_add(&m->message, "unbounded");
                else
                        text_add(&m->message, "%u pages", iface->memory_max_pages);
                return reject(m,
                              ". The minimum must fit the cap; a maximum above the cap is fine, growth stops at "
                              "the cap at run time (with clang, lower --initial-memory)");
        }
        return true;
}

const char *aether_wasm_import_name(aether_wasm_import_t import) {
        if ((unsigned)import >= AETHER_WASM_IMPORT_COUNT)
                return NULL;
        return host_functions[import].name;
}

bool aether_wasm_iface_parse(const uint8_t *wasm, size_t size, uint32_t max_pages,
                             struct aether_wasm_iface *iface, char *message, size_t message_size) {
        struct module m = {
                .wasm = wasm,
                .size = size,
                .max_pages = max_pages,
                .iface = iface,
                .message = { message, message_size, 0 },
                .section_id = -1,
        };
        if (message_size)
                message[0] = '\0';
        memset(iface, 0, sizeof(*iface));
        iface->memory_max_pages = AETHER_WASM_NO_MAXIMUM;
        return check_header(&m) && parse_sections(&m) && check_interface(&m);
}
