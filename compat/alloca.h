/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* alloca.h (freestanding compat): generated code uses alloca for multi-value returns. */
#ifndef AETHER_COMPAT_ALLOCA_H
#define AETHER_COMPAT_ALLOCA_H

#define alloca __builtin_alloca

#endif
