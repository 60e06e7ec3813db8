/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* bench_stats.c: the benchmark drivers' clock and order statistics. */
#include "bench_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t bench_now_ns(void) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

double bench_quantile(double *samples, size_t count, double q) {
        qsort(samples, count, sizeof(samples[0]), compare_doubles);
        return samples[(size_t)(q * (double)(count - 1))];
}

long bench_count_arg(const char *text, const char *what) {
        char *end;
        long value = strtol(text, &end, 10);
        if (*text == '\0' || *end != '\0' || value <= 0) {
                fprintf(stderr, "%s must be a positive integer, got '%s'\n", what, text);
                exit(2);
        }
        return value;
}
