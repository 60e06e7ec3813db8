/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_wasm_iface.c: the payload interface parser on modules built byte by byte. */
#include "wasm_iface.h"
#include "check.h"

#include <stdio.h>
#include <string.h>

/* A module under construction. */
struct wasm {
        uint8_t bytes[1024];
        size_t size;
};

static void emit(struct wasm *w, const uint8_t *bytes, size_t n) {
        if (w->size + n > sizeof(w->bytes)) {
                fprintf(stderr, "FAIL: test module too large\n");
                check_failures++;
                return;
        }
        memcpy(w->bytes + w->size, bytes, n);
        w->size += n;
}

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define EMIT(w, ...) emit(w, BYTES(__VA_ARGS__))

static void emit_leb(struct wasm *w, uint32_t value) {
        do {
                uint8_t byte = value & 0x7f;
                value >>= 7;
                emit(w, &byte, 1);
                w->bytes[w->size - 1] |= value ? 0x80 : 0;
        } while (value);
}

static void emit_section(struct wasm *w, uint8_t id, const uint8_t *content, size_t n) {
        emit(w, &id, 1);
        emit_leb(w, (uint32_t)n);
        emit(w, content, n);
}

#define SECTION(w, id, ...) emit_section(w, id, BYTES(__VA_ARGS__))

static void emit_header(struct wasm *w) {
        EMIT(w, 0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00);
}

/* type 0: () -> i32 */
static void emit_types(struct wasm *w) {
        SECTION(w, 1, 0x01, 0x60, 0x00, 0x01, 0x7f);
}

/* function 0: type 0 */
static void emit_functions(struct wasm *w) {
        SECTION(w, 3, 0x01, 0x00);
}

/* one memory, minimum 1 page, no maximum */
static void emit_memory(struct wasm *w) {
        SECTION(w, 5, 0x01, 0x00, 0x01);
}

/* evaluate_limits = function 0, memory = memory 0 */
static void emit_exports(struct wasm *w) {
        SECTION(w, 7, 0x02, 0x0f, 'e', 'v', 'a', 'l', 'u', 'a', 't', 'e', '_', 'l', 'i', 'm', 'i', 't', 's', 0x00,
                0x00, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00);
}

/* function 0 body: i32.const 0 */
static void emit_code(struct wasm *w) {
        SECTION(w, 10, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b);
}

static void emit_minimal(struct wasm *w) {
        emit_header(w);
        emit_types(w);
        emit_functions(w);
        emit_memory(w);
        emit_exports(w);
        emit_code(w);
}

static bool parse(const struct wasm *w, uint32_t cap, struct aether_wasm_iface *iface, char *message) {
        return aether_wasm_iface_parse(w->bytes, w->size, cap, iface, message, AETHER_WASM_MESSAGE_MAX);
}

static void check_rejected(const struct wasm *w, uint32_t cap, const char *expected, int line) {
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        if (parse(w, cap, &iface, message)) {
                fprintf(stderr, "%s:%d: FAIL: accepted, expected \"%s\"\n", __FILE__, line, expected);
                check_failures++;
        } else if (!strstr(message, expected)) {
                fprintf(stderr, "%s:%d: FAIL: message \"%s\" lacks \"%s\"\n", __FILE__, line, message, expected);
                check_failures++;
        }
}

#define CHECK_REJECTED(w, cap, expected) check_rejected(w, cap, expected, __LINE__)

static void test_minimal_module_is_accepted(void) {
        struct wasm w = { .size = 0 };
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        emit_minimal(&w);
        CHECK(parse(&w, 16, &iface, message));
        CHECK(message[0] == '\0');
        CHECK(!iface.has_diagnostic);
        CHECK(!iface.has_payload_version);
        for (unsigned i = 0; i < AETHER_WASM_IMPORT_COUNT; i++)
                CHECK(!iface.imports[i]);
        CHECK(iface.memory_min_pages == 1);
        CHECK(iface.memory_max_pages == AETHER_WASM_NO_MAXIMUM);
        CHECK(iface.memory_flags == 0);
}

static void test_imports_and_optional_exports(void) {
        struct wasm w = { .size = 0 };
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        emit_header(&w);
        /* type 0: () -> i32, type 1: (i32, i32) -> nil */
        SECTION(&w, 1, 0x02, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x00);
        /* function 0 = aether.commit_uplink, function 1 = aether.read_radiation_dosimeter */
        SECTION(&w, 2, 0x02, 0x06, 'a', 'e', 't', 'h', 'e', 'r', 0x0d, 'c', 'o', 'm', 'm', 'i', 't', '_', 'u', 'p',
                'l', 'i', 'n', 'k', 0x00, 0x01, 0x06, 'a', 'e', 't', 'h', 'e', 'r', 0x18, 'r', 'e', 'a', 'd', '_',
                'r', 'a', 'd', 'i', 'a', 't', 'i', 'o', 'n', '_', 'd', 'o', 's', 'i', 'm', 'e', 't', 'e', 'r', 0x00,
                0x00);
        emit_functions(&w);
        SECTION(&w, 5, 0x01, 0x01, 0x02, 0x80, 0x02); /* minimum 2, maximum 256 */
        /* evaluate_limits = function 2, memory, payload_version = imported function 1 */
        SECTION(&w, 7, 0x03, 0x0f, 'e', 'v', 'a', 'l', 'u', 'a', 't', 'e', '_', 'l', 'i', 'm', 'i', 't', 's', 0x00,
                0x02, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, 0x0f, 'p', 'a', 'y', 'l', 'o', 'a', 'd', '_',
                'v', 'e', 'r', 's', 'i', 'o', 'n', 0x00, 0x01);
        emit_code(&w);
        CHECK(parse(&w, 16, &iface, message));
        CHECK(iface.imports[AETHER_WASM_IMPORT_COMMIT_UPLINK]);
        CHECK(iface.imports[AETHER_WASM_IMPORT_READ_RADIATION_DOSIMETER]);
        CHECK(!iface.imports[AETHER_WASM_IMPORT_READ_ATMOSPHERIC_PRESSURE]);
        CHECK(!iface.imports[AETHER_WASM_IMPORT_COMMIT_TELEMETRY_VECTOR]);
        CHECK(iface.has_payload_version);
        CHECK(!iface.has_diagnostic);
        CHECK(iface.memory_min_pages == 2);
        CHECK(iface.memory_max_pages == 256);
        CHECK(iface.memory_flags == 1);
}

static void test_five_byte_leb_is_accepted(void) {
        struct wasm w = { .size = 0 };
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        emit_header(&w);
        /* type count 1 padded to 5 bytes, section size padded to 5 bytes */
        EMIT(&w, 0x01, 0x89, 0x80, 0x80, 0x80, 0x00, 0x81, 0x80, 0x80, 0x80, 0x00, 0x60, 0x00, 0x01, 0x7f);
        emit_functions(&w);
        emit_memory(&w);
        emit_exports(&w);
        emit_code(&w);
        CHECK(parse(&w, 16, &iface, message));
}

static void test_leb_edge_cases(void) {
        struct wasm w = { .size = 0 };
        /* The largest 5-byte value as a section size: declares 4 GiB - 1 bytes. */
        emit_header(&w);
        EMIT(&w, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
        CHECK_REJECTED(&w, 16, "truncated section type (id 1) at offset 0x8: it declares 4294967295 bytes, only 1 "
                               "remain in the file");

        /* A sixth byte. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x60, 0x00, 0x01, 0x7f);
        CHECK_REJECTED(&w, 16, "malformed section type (id 1) at offset 0x8: the type count at offset 0xa is a "
                               "LEB128 longer than 5 bytes");

        /* Bits above 32 set in the fifth byte. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x81, 0x80, 0x80, 0x80, 0x10, 0x60, 0x00, 0x01, 0x7f);
        CHECK_REJECTED(&w, 16, "the type count at offset 0xa is a LEB128 that overflows 32 bits");

        /* A continuation bit on the last byte of the section. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x80);
        emit_functions(&w);
        CHECK_REJECTED(&w, 16, "truncated section type (id 1) at offset 0x8: the type count at offset 0xa runs past "
                               "the end of the section at 0xb");

        /* A section size cut off by the end of the file. */
        w.size = 0;
        emit_header(&w);
        EMIT(&w, 0x01, 0x80, 0x80);
        CHECK_REJECTED(&w, 16, "truncated section header at offset 0x8: the section size at offset 0x9 runs past "
                               "the end of the file (11 bytes)");
}

static void test_header(void) {
        struct wasm w = { .size = 0 };
        EMIT(&w, 0x7f, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00);
        CHECK_REJECTED(&w, 16, "bad magic at offset 0x0: found 7f 45 4c 46, expected 00 61 73 6d");

        w.size = 0;
        EMIT(&w, '\n', '(', 'm', 'o', 'd', 'u', 'l', 'e', ')');
        CHECK_REJECTED(&w, 16, "it looks like WebAssembly text: assemble it with wat2wasm");

        w.size = 0;
        EMIT(&w, 0x00, 'a', 's');
        CHECK_REJECTED(&w, 16, "truncated header at offset 0x0: the file is 3 bytes");

        w.size = 0;
        CHECK_REJECTED(&w, 16, "truncated header at offset 0x0: the file is 0 bytes");

        w.size = 0;
        EMIT(&w, 0x00, 'a', 's', 'm', 0x02, 0x00, 0x00, 0x00);
        CHECK_REJECTED(&w, 16, "unsupported binary version 0x00000002 at offset 0x4, expected 1");

        w.size = 0;
        EMIT(&w, 0x00, 'a', 's', 'm', 0x0d, 0x00, 0x01, 0x00);
        CHECK_REJECTED(&w, 16, "this is a component, not a core module");
}

static void test_section_structure(void) {
        struct wasm w = { .size = 0 };
        emit_header(&w);
        SECTION(&w, 14, 0x00);
        CHECK_REJECTED(&w, 16, "malformed section header at offset 0x8: unknown section id 14");

        w.size = 0;
        emit_header(&w);
        emit_types(&w);
        emit_types(&w);
        CHECK_REJECTED(&w, 16, "malformed section type (id 1) at offset 0xf: the module has a second type section");

        w.size = 0;
        emit_header(&w);
        emit_memory(&w);
        emit_functions(&w);
        CHECK_REJECTED(&w, 16, "out of order, section memory (id 5) must come after it");

        /* Custom sections may appear anywhere and are skipped unread. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 0, 0x04, 'n', 'o', 't', 'e', 0xff, 0xff);
        emit_types(&w);
        emit_functions(&w);
        SECTION(&w, 0, 0x00);
        emit_memory(&w);
        emit_exports(&w);
        emit_code(&w);
        SECTION(&w, 0, 0x04, 'n', 'a', 'm', 'e');
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        CHECK(parse(&w, 16, &iface, message));

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x00, 0x00);
        CHECK_REJECTED(&w, 16, "malformed section type (id 1) at offset 0x8: 2 bytes at offset 0xf left over");

        /* An absurd count is refused before it is looped over. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x80, 0x89, 0x7a, 0x60, 0x00, 0x00);
        CHECK_REJECTED(&w, 16, "the type count at offset 0xa is 2000000, above the limit of 1000000");

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x01, 0x60, 0x01, 0x41, 0x00);
        CHECK_REJECTED(&w, 16, "unknown value type 0x41 at offset 0xd");

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 1, 0x01, 0x5f, 0x00, 0x00);
        CHECK_REJECTED(&w, 16, "type 0 at offset 0xb has form 0x5f, expected 0x60 (a function type)");
}

static void test_imports(void) {
        struct wasm w = { .size = 0 };
        emit_header(&w);
        SECTION(&w, 1, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f); /* (i32) -> i32 */
        SECTION(&w, 2, 0x01, 0x06, 'a', 'e', 't', 'h', 'e', 'r', 0x18, 'r', 'e', 'a', 'd', '_', 'r', 'a', 'd', 'i',
                'a', 't', 'i', 'o', 'n', '_', 'd', 'o', 's', 'i', 'm', 'e', 't', 'e', 'r', 0x00, 0x00);
        CHECK_REJECTED(&w, 16, "import aether.read_radiation_dosimeter has type (i32) -> i32, expected () -> i32");

        /* Names are printed with non-printable bytes escaped. */
        w.size = 0;
        emit_header(&w);
        emit_types(&w);
        SECTION(&w, 2, 0x01, 0x03, 'e', 0x01, 'v', 0x02, 'a', '\\', 0x00, 0x00);
        CHECK_REJECTED(&w, 16, "import e\\x01v.a\\x5c (() -> i32) is not provided by the Aether runtime");

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 2, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7f, 0x00);
        CHECK_REJECTED(&w, 16, "import env.g is a global, expected a function");

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 2, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x05, 0x00);
        CHECK_REJECTED(&w, 16, "import 0 at offset 0x11 has unknown kind 0x05");

        /* A function import whose type does not exist. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 2, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x07);
        CHECK_REJECTED(&w, 16, "type index 7 is out of range, the module has 0 types");

        /* A name longer than the section. */
        w.size = 0;
        emit_header(&w);
        SECTION(&w, 2, 0x01, 0x7f, 'e', 'n', 'v');
        CHECK_REJECTED(&w, 16, "truncated section import (id 2) at offset 0x8: the import module name at offset 0xb "
                               "runs past the end of the section");
}

/* Foreign imports are all named, up to 32, then counted; the hint about libc
 * and WASI comes only when one is from outside module "aether". */
static void test_foreign_imports(void) {
        struct wasm w = { .size = 0 };
        emit_header(&w);
        emit_types(&w);
        struct wasm imports = { .size = 0 };
        emit_leb(&imports, 34);
        for (uint8_t i = 0; i < 34; i++)
                EMIT(&imports, 0x03, 'e', 'n', 'v', 0x02, 'f', (uint8_t)('A' + i), 0x00, 0x00);
        emit_section(&w, 2, imports.bytes, imports.size);
        CHECK_REJECTED(&w, 16, "imports env.fA (() -> i32), env.fB (() -> i32), ");
        CHECK_REJECTED(&w, 16, ", env.f` (() -> i32) and 2 more are not provided by the Aether runtime, which "
                               "provides only aether.read_atmospheric_pressure: () -> f32");
        CHECK_REJECTED(&w, 16, "with Rust, write #![no_std] with crate-type = [\"cdylib\"] and build for --target "
                               "wasm32-unknown-unknown, not wasm32-wasi");

        w.size = 0;
        emit_header(&w);
        emit_types(&w);
        SECTION(&w, 2, 0x01, 0x06, 'a', 'e', 't', 'h', 'e', 'r', 0x01, 'x', 0x00, 0x00);
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        CHECK(!parse(&w, 16, &iface, message));
        CHECK(strstr(message, "import aether.x (() -> i32) is not provided") == message);
        CHECK(!strstr(message, "WASI"));
}

static void test_exports(void) {
        struct wasm w = { .size = 0 };
        emit_header(&w);
        emit_types(&w);
        emit_functions(&w);
        emit_memory(&w);
        SECTION(&w, 7, 0x02, 0x0f, 'e', 'v', 'a', 'l', 'u', 'a', 't', 'e', '_', 'l', 'i', 'm', 'i', 't', 's', 0x00,
                0x05, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00);
        CHECK_REJECTED(&w, 16, "function index 5 is out of range, the module has 1 functions");

        w.size = 0;
        emit_header(&w);
        emit_types(&w);
        emit_functions(&w);
        emit_memory(&w);
        SECTION(&w, 7, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00);
        emit_code(&w);
        CHECK_REJECTED(&w, 16, "export evaluate_limits is missing");

        /* The code section must match the function section. */
        w.size = 0;
        emit_header(&w);
        emit_types(&w);
        emit_functions(&w);
        emit_memory(&w);
        emit_exports(&w);
        CHECK_REJECTED(&w, 16, "truncated module: the function section declares 1 functions, but the file ends "
                               "without a code section");
        SECTION(&w, 10, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b);
        CHECK_REJECTED(&w, 16, "2 function bodies for the 1 functions of the function section");

        w.size = 0;
        emit_header(&w);
        emit_types(&w);
        emit_functions(&w);
        emit_memory(&w);
        SECTION(&w, 7, 0x02, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, 0x06, 'm', 'e', 'm', 'o', 'r', 'y',
                0x02, 0x00);
        CHECK_REJECTED(&w, 16, "export memory appears twice");
}

static void test_memory(void) {
        struct wasm w = { .size = 0 };
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];

        emit_minimal(&w); /* minimum 1 page */
        CHECK(parse(&w, 1, &iface, message));
        CHECK_REJECTED(&w, 0, "memory 0 has a minimum of 1 pages (64 KiB), above the cap of 0 pages (0 KiB); its "
                              "maximum is unbounded");

        static const struct {
                uint8_t limits[4];
                size_t size;
                const char *expected;
        } bad[] = {
                { { 0x01, 0x03 }, 2, "memory 0 at offset 0xb is shared (flags 0x03)" },
                { { 0x01, 0x04 }, 2, "uses feature memory64, not supported by the Aether runtime" },
                { { 0x01, 0x08 }, 2, "memory 0 limits flags at offset 0xb are 0x08, unknown bits set" },
                { { 0x01, 0x01, 0x03, 0x02 }, 4, "memory 0 maximum of 2 pages is below its minimum of 3 pages" },
                { { 0x02, 0x00 }, 2, "uses feature multi-memory, not supported by the Aether runtime: the module "
                                     "defines 2 memories" },
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                w.size = 0;
                emit_header(&w);
                emit_section(&w, 5, bad[i].limits, bad[i].size);
                CHECK_REJECTED(&w, 16, bad[i].expected);
        }

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 5, 0x01, 0x00, 0x81, 0x80, 0x04); /* 65537 pages */
        CHECK_REJECTED(&w, 16, "memory 0 minimum of 65537 pages is above the 4 GiB limit of 65536 pages");

        w.size = 0;
        emit_header(&w);
        SECTION(&w, 13, 0x00);
        CHECK_REJECTED(&w, 16, "uses feature exceptions, not supported by the Aether runtime: tag section (id 13) at "
                               "offset 0x8");
}

/* Every proper prefix of a valid module is rejected, with a message. */
static void test_every_prefix_is_rejected(void) {
        struct wasm w = { .size = 0 };
        struct aether_wasm_iface iface;
        char message[AETHER_WASM_MESSAGE_MAX];
        emit_minimal(&w);
        for (size_t n = 0; n < w.size; n++) {
                CHECK(!aether_wasm_iface_parse(w.bytes, n, 16, &iface, message, sizeof(message)));
                CHECK(message[0] != '\0');
        }
}

/* A short buffer truncates the message, still NUL-terminated; none is fine too. */
static void test_message_buffer(void) {
        struct wasm w = { .size = 0 };
        struct aether_wasm_iface iface;
        char message[12];
        memset(message, 'x', sizeof(message));
        EMIT(&w, 0x7f, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00);
        CHECK(!aether_wasm_iface_parse(w.bytes, w.size, 16, &iface, message, 8));
        CHECK(strcmp(message, "bad mag") == 0);
        CHECK(message[8] == 'x');
        CHECK(!aether_wasm_iface_parse(w.bytes, w.size, 16, &iface, NULL, 0));
        CHECK(!aether_wasm_iface_parse(NULL, 0, 16, &iface, NULL, 0));
}

static void test_import_names(void) {
        CHECK(strcmp(aether_wasm_import_name(AETHER_WASM_IMPORT_READ_ATMOSPHERIC_PRESSURE),
                     "read_atmospheric_pressure") == 0);
        CHECK(strcmp(aether_wasm_import_name(AETHER_WASM_IMPORT_COMMIT_UPLINK), "commit_uplink") == 0);
        CHECK(aether_wasm_import_name(AETHER_WASM_IMPORT_COUNT) == NULL);
}

int main(void) {
        test_minimal_module_is_accepted();
        test_imports_and_optional_exports();
        test_five_byte_leb_is_accepted();
        test_leb_edge_cases();
        test_header();
        test_section_structure();
        test_imports();
        test_foreign_imports();
        test_exports();
        test_memory();
        test_every_prefix_is_rejected();
        test_message_buffer();
        test_import_names();
        return check_summary("test_wasm_iface");
}
