/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* bench_stats.h: the benchmark drivers' clock and order statistics. */
#ifndef AETHER_BENCH_STATS_H
#define AETHER_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* Sorts samples[0..count) in place and returns the value at quantile q
 * (0 = minimum, 0.5 = median, 1 = maximum; the lower middle for an even count). */
double bench_quantile(double *samples, size_t count, double q);

/* Exits with a message when a command-line count is not a positive integer. */
long bench_count_arg(const char *text, const char *what);

#endif
