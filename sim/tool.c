/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tool.c: running a tool (validator, wasm2c, clang, addr2line) and collecting what it prints. */
#include "tool.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "installed.h"
#include "options.h"

extern char **environ;

static void free_arguments(char **argv) {
        for (char **arg = argv; *arg; arg++)
                free(*arg);
        free(argv);
}

/* argv with the installation prefix in place of its marker (installed.h), or NULL after a message. */
static char **expand_arguments(const char *const argv[]) {
        size_t count = 0;
        while (argv[count])
                count++;
        char **expanded = calloc(count + 1, sizeof(*expanded));
        if (!expanded) {
                fprintf(stderr, SIM_PROGRAM ": out of memory\n");
                return NULL;
        }
        for (size_t i = 0; i < count; i++)
                if (!(expanded[i] = sim_installed_path(argv[i]))) {
                        free_arguments(expanded);
                        return NULL;
                }
        return expanded;
}

/* Runs the expanded argv. */
static int run(char *const argv[], char **output) {
        int pipe_fds[2];
        if (pipe(pipe_fds) != 0) {
                fprintf(stderr, SIM_PROGRAM ": cannot run %s: pipe: %s\n", argv[0], strerror(errno));
                return -1;
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
        posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
        pid_t pid;
        int started = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        if (started != 0) {
                close(pipe_fds[0]);
                fprintf(stderr, SIM_PROGRAM ": cannot run %s: %s\n", argv[0], strerror(started));
                return -1;
        }

        size_t used = 0, capacity = 4096;
        char *text = malloc(capacity);
        for (;;) {
                if (text && used + 1 == capacity) {
                        char *bigger = realloc(text, capacity *= 2);
                        if (!bigger)
                                free(text);
                        text = bigger;
                }
                char sink[4096];
                ssize_t got = text ? read(pipe_fds[0], text + used, capacity - used - 1)
                                   : read(pipe_fds[0], sink, sizeof(sink)); /* out of memory: drain */
                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0)
                        break;
                if (text)
                        used += (size_t)got;
        }
        close(pipe_fds[0]);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (text)
                text[used] = 0;
        *output = text ? text : strdup("");
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int sim_run(const char *const argv[], char **output) {
        *output = NULL;
        char **expanded = expand_arguments(argv);
        if (!expanded)
                return -1;
        int status = run(expanded, output);
        free_arguments(expanded);
        return status;
}
