/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tool.h: running a tool (validator, wasm2c, clang, addr2line) and collecting what it prints. */
#ifndef AETHER_SIM_TOOL_H
#define AETHER_SIM_TOOL_H

/* Runs argv[0], a path, with argv (NULL-terminated), its stdout and stderr
 * collected together into *output (malloc'd, NUL-terminated; the caller
 * frees it). Returns its exit status, 128 + N if signal N ended it, or -1
 * after a message if it could not be started (*output is then NULL). Each
 * argument has the installation prefix in place of its marker (installed.h). */
int sim_run(const char *const argv[], char **output);

#endif
