/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* installed.h: an installed aether-sim finds its runtime under the prefix it was installed to, found at run time. */
#ifndef AETHER_SIM_INSTALLED_H
#define AETHER_SIM_INSTALLED_H

/* In the sim_config.h of an installed aether-sim (cmake/AetherSdk.cmake),
 * every path into the installed tree starts with this marker; a build
 * tree's sim_config.h has none. */
#define SIM_PREFIX_MARKER "@prefix@"

/* text with every SIM_PREFIX_MARKER replaced by the installation prefix, the
 * folder above the one that holds the running program (malloc'd; the caller
 * frees it). Returns NULL after a message if the program cannot be found or
 * memory runs out. */
char *sim_installed_path(const char *text);

/* The cache when sim_config.h names none (an installed aether-sim, whose
 * prefix may be read-only): $XDG_CACHE_HOME/aether-sim, else
 * $HOME/.cache/aether-sim (malloc'd), or NULL after a message. */
char *sim_user_cache(void);

#endif
