/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tool_usage.h: -h and --help for the host tools: the usage on stdout and exit 0; on a usage error, on stderr and exit 2. */
#ifndef AETHER_TOOL_USAGE_H
#define AETHER_TOOL_USAGE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Whether an argument before "--" asks for help (-h or --help). */
static inline bool aether_tool_wants_help(int argc, char **argv) {
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
                if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
                        return true;
        return false;
}

/* Prints the usage text, which starts with "usage: ", and returns the exit
 * status: 0 for help asked for (stdout), 2 for a usage error (stderr). */
static inline int aether_tool_usage(bool asked, const char *text) {
        fputs(text, asked ? stdout : stderr);
        return asked ? 0 : 2;
}

#endif
