/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aether_guest_pack.c: build tool: checks the linked ring-3 guest program and embeds its segments as a C header. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest_image.h"
#include "tool_usage.h"
#include "user_layout.h"

#define GUEST_FILE_MAX (64u << 20)
#define PAGE 4096u

static const char *path;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        fprintf(stderr, "%s: error: guest program rejected: ", path);
        vfprintf(stderr, fmt, args);
        fputc('\n', stderr);
        va_end(args);
        return 1;
}

static unsigned char *read_file(size_t *len) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        unsigned char *buf = malloc(GUEST_FILE_MAX + 1);
        *len = buf ? fread(buf, 1, GUEST_FILE_MAX + 1, f) : 0;
        fclose(f);
        return buf;
}

static uint32_t rights_of(uint32_t p_flags) {
        return (p_flags & PF_R ? AETHER_GUEST_READ : 0) | (p_flags & PF_W ? AETHER_GUEST_WRITE : 0) |
               (p_flags & PF_X ? AETHER_GUEST_EXECUTE : 0);
}

int main(int argc, char **argv) {
        bool help = aether_tool_wants_help(argc, argv);
        if (help || argc != 3)
                return aether_tool_usage(help, "usage: aether-guest-pack GUEST.elf OUT.h\n"
                                               "  Checks the linked ring-3 guest program and embeds it in the header OUT.h.\n");
        path = argv[1];
        size_t len;
        unsigned char *elf = read_file(&len);
        if (!elf) {
                fprintf(stderr, "%s: error: %s\n", path, strerror(errno));
                return 1;
        }
        if (len > GUEST_FILE_MAX)
                return fail("larger than 64 MiB");
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
        if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
            eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
                return fail("not a little-endian x86-64 ELF64 file");
        if (eh->e_type != ET_EXEC)
                return fail("not a statically linked executable (ELF type %u)", eh->e_type);
        if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
            (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
                return fail("program headers outside the file");

        struct aether_guest_segment segments[8];
        unsigned count = 0;
        uint64_t blob_bytes = 0, end = USER_VA_BASE, writable_pages = 0;
        bool entry_ok = false;
        const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff);
        for (unsigned i = 0; i < eh->e_phnum; i++) {
                const Elf64_Phdr *p = &ph[i];
                if (p->p_type == PT_INTERP || p->p_type == PT_DYNAMIC || p->p_type == PT_TLS)
                        return fail("program header %u: type %u (interpreter, dynamic or TLS) has no place in ring 3",
                                    i, p->p_type);
                if (p->p_type != PT_LOAD || p->p_memsz == 0)
                        continue;
                uint32_t rights = rights_of(p->p_flags);
                if ((rights & AETHER_GUEST_WRITE) && (rights & AETHER_GUEST_EXECUTE))
                        return fail("segment at 0x%" PRIx64 " is both writable and executable (W^X)", p->p_vaddr);
                if (p->p_vaddr % PAGE)
                        return fail("segment at 0x%" PRIx64 " does not start on a page", p->p_vaddr);
                if (p->p_vaddr < end)
                        return fail("segment at 0x%" PRIx64 " overlaps the one before or lies below 0x%llx",
                                    p->p_vaddr, (unsigned long long)USER_VA_BASE);
                if (p->p_filesz > p->p_memsz || p->p_offset > len || p->p_filesz > len - p->p_offset)
                        return fail("segment at 0x%" PRIx64 " has bytes outside the file", p->p_vaddr);
                uint64_t top = (p->p_vaddr + p->p_memsz + PAGE - 1) / PAGE * PAGE;
                if (top < p->p_vaddr || top > USER_VA_BASE + AETHER_GUEST_PROGRAM_MAX)
                        return fail("segment at 0x%" PRIx64 " ends past the guest program's %llu MiB",
                                    p->p_vaddr, AETHER_GUEST_PROGRAM_MAX >> 20);
                if (count == sizeof(segments) / sizeof(segments[0]))
                        return fail("more than 8 loadable segments");
                if ((rights & AETHER_GUEST_EXECUTE) && eh->e_entry >= p->p_vaddr &&
                    eh->e_entry < p->p_vaddr + p->p_memsz)
                        entry_ok = true;
                if (rights & AETHER_GUEST_WRITE)
                        writable_pages += (top - p->p_vaddr) / PAGE;
                segments[count++] = (struct aether_guest_segment){
                        .vaddr = p->p_vaddr, .file_bytes = p->p_filesz, .mem_bytes = p->p_memsz,
                        .blob_offset = blob_bytes, .rights = rights};
                blob_bytes += (p->p_filesz + 15) / 16 * 16;
                end = top;
        }
        if (!count)
                return fail("no loadable segment");
        if (!entry_ok)
                return fail("entry point 0x%" PRIx64 " is not in an executable segment", eh->e_entry);

        FILE *out = fopen(argv[2], "w");
        if (!out) {
                fprintf(stderr, "%s: error: cannot write\n", argv[2]);
                return 1;
        }
        fprintf(out, "/* Generated by aether-guest-pack from %s. Do not edit. */\n", path);
        fprintf(out, "#ifndef AETHER_GUEST_PROGRAM_H\n#define AETHER_GUEST_PROGRAM_H\n\n");
        fprintf(out, "#include \"guest_image.h\"\n\n");
        fprintf(out, "#define AETHER_GUEST_ENTRY 0x%" PRIx64 "ull\n", eh->e_entry);
        fprintf(out, "#define AETHER_GUEST_SEGMENT_COUNT %u\n", count);
        fprintf(out, "#define AETHER_GUEST_PROGRAM_PAGES %" PRIu64 "ull /* from USER_VA_BASE to the last segment's end */\n",
                (uint64_t)((end - USER_VA_BASE) / PAGE));
        fprintf(out, "#define AETHER_GUEST_WRITABLE_PAGES %" PRIu64 "ull\n\n", writable_pages);
        fprintf(out, "static const struct aether_guest_segment aether_guest_segments[%u] = {\n", count);
        for (unsigned i = 0; i < count; i++)
                fprintf(out, "        {0x%" PRIx64 "ull, %" PRIu64 "ull, %" PRIu64 "ull, %" PRIu64 "ull, %u},\n",
                        segments[i].vaddr, segments[i].file_bytes, segments[i].mem_bytes, segments[i].blob_offset,
                        segments[i].rights);
        fprintf(out, "};\n\nstatic const unsigned char aether_guest_blob[%" PRIu64 "] __attribute__((aligned(16))) = {",
                blob_bytes ? blob_bytes : 1);
        uint64_t written = 0;
        for (unsigned i = 0; i < count; i++) {
                const Elf64_Phdr *p = NULL;
                for (unsigned k = 0, seen = 0; k < eh->e_phnum; k++)
                        if (ph[k].p_type == PT_LOAD && ph[k].p_memsz && seen++ == i)
                                p = &ph[k];
                uint64_t padded = (segments[i].file_bytes + 15) / 16 * 16;
                for (uint64_t b = 0; b < padded; b++, written++)
                        fprintf(out, "%s%s%u", written ? "," : "", written % 24 ? "" : "\n",
                                b < p->p_filesz ? elf[p->p_offset + b] : 0);
        }
        fprintf(out, "%s\n};\n\n#endif\n", written ? "" : "0");
        free(elf);
        return fclose(out) == 0 ? 0 : 1;
}
