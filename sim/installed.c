/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* installed.c: an installed aether-sim finds its runtime under the prefix it was installed to, found at run time. */
#include "installed.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

/* The prefix: /proc/self/exe is PREFIX/bin/aether-sim. */
static const char *prefix(void) {
        static char dir[PATH_MAX];
        if (dir[0])
                return dir;
        ssize_t len = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
        if (len <= 0) {
                fprintf(stderr, SIM_PROGRAM ": cannot find the running program (/proc/self/exe): %s\n",
                        strerror(errno));
                dir[0] = 0;
                return NULL;
        }
        dir[len] = 0;
        for (int up = 0; up < 2; up++) {
                char *slash = strrchr(dir, '/');
                if (slash)
                        *slash = 0;
        }
        return dir;
}

char *sim_installed_path(const char *text) {
        const char *hit = strstr(text, SIM_PREFIX_MARKER);
        const char *root = hit ? prefix() : "";
        if (!root)
                return NULL;
        size_t marker = strlen(SIM_PREFIX_MARKER), count = 0;
        for (const char *p = hit; p; p = strstr(p + marker, SIM_PREFIX_MARKER))
                count++;
        char *out = malloc(strlen(text) + count * strlen(root) + 1), *w = out;
        if (!out) {
                fprintf(stderr, SIM_PROGRAM ": out of memory\n");
                return NULL;
        }
        for (const char *p = text;; p = hit + marker) {
                hit = strstr(p, SIM_PREFIX_MARKER);
                size_t keep = hit ? (size_t)(hit - p) : strlen(p);
                memcpy(w, p, keep);
                w += keep;
                if (!hit)
                        break;
                w = stpcpy(w, root);
        }
        *w = 0;
        return out;
}

char *sim_user_cache(void) {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        char path[PATH_MAX];
        if (xdg && xdg[0] == '/')
                snprintf(path, sizeof(path), "%s/aether-sim", xdg);
        else if (home && home[0] == '/')
                snprintf(path, sizeof(path), "%s/.cache/aether-sim", home);
        else {
                fprintf(stderr, SIM_PROGRAM ": neither XDG_CACHE_HOME nor HOME names a folder for the cache: "
                                "give --cache DIR\n");
                return NULL;
        }
        char *copy = strdup(path);
        if (!copy)
                fprintf(stderr, SIM_PROGRAM ": out of memory\n");
        return copy;
}
