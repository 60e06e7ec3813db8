/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* bench_payload.c: the benchmark's mission payload: a pressure channel filtered (FIR + Kalman), framed, CRC-32'd. */
#include "aether_guest.h"

/* What one wake computes, the same source built natively and to wasm32 for
 * scripts/aether-bench (native, wasm2c in both memory-check modes, V8, wabt's
 * interpreter):
 *   1. a 4096-sample cabin-pressure channel, synthesised from the latched
 *      pressure (the level) and the dose and pressure bits (the noise seed):
 *      level + a slow triangle "breathing" wave + uniform sensor noise;
 *   2. a 32-tap low-pass FIR (triangular window, float) over it;
 *   3. a scalar Kalman filter (random-walk level model) over the FIR output;
 *   4. the smoothed channel quantised to int16 (1e-4 atm steps): the 8 KiB
 *      telemetry frame a downlink would carry, with its CRC-32 (IEEE 802.3);
 *   5. a 32-byte summary (level statistics, the frame's CRC) committed as
 *      telemetry, and the stock status bits returned.
 * About 140k float multiply-adds, 8k CRC steps and 4k divisions per call. */

#define SAMPLES 4096
#define TAPS 32
#define PRESSURE_LOW_ATM 0.5f
#define DOSE_HIGH 1000
#define NOISE_ATM 0.05f
#define BREATH_PERIOD 512
#define BREATH_ATM 0.02f
#define KALMAN_Q 1e-5f /* process noise: how fast the true level may wander */
#define KALMAN_R 4e-4f /* measurement noise of the FIR output */
#define QUANTUM_PER_ATM 10000.0f
#define SUMMARY_MAGIC 0x4d534241u /* "ABSM" little-endian */

struct summary {
        unsigned int magic;
        unsigned short status;
        unsigned short samples;
        float level_mean;
        float level_min;
        float level_max;
        float kalman_level;
        int dose;
        unsigned int frame_crc32;
};
_Static_assert(sizeof(struct summary) == 32, "summary is 32 bytes");

static float raw[SAMPLES];
static float smooth[SAMPLES];
static short frame[SAMPLES];
static unsigned int crc_table[256];
static struct summary summary;

static unsigned int next_random(unsigned int *state) {
        unsigned int x = *state; /* xorshift32 */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return *state = x;
}

static void synthesise(float level, unsigned int seed) {
        unsigned int state = seed ? seed : 0x9e3779b9u;
        for (int i = 0; i < SAMPLES; i++) {
                int phase = i % BREATH_PERIOD;
                int ramp = phase < BREATH_PERIOD / 2 ? phase : BREATH_PERIOD - phase;
                float breath = BREATH_ATM * ((float)ramp / (BREATH_PERIOD / 2) - 0.5f);
                float noise = NOISE_ATM * ((float)(next_random(&state) >> 8) * (1.0f / 16777216.0f) - 0.5f);
                raw[i] = level + breath + noise;
        }
}

static void low_pass(void) {
        float taps[TAPS], sum = 0.0f;
        for (int k = 0; k < TAPS; k++) {
                taps[k] = (float)(k < TAPS / 2 ? k + 1 : TAPS - k);
                sum += taps[k];
        }
        for (int k = 0; k < TAPS; k++)
                taps[k] /= sum;
        for (int i = 0; i < SAMPLES; i++) {
                float acc = 0.0f;
                for (int k = 0; k < TAPS; k++)
                        acc += taps[k] * raw[i >= k ? i - k : 0]; /* the first sample extends backwards */
                smooth[i] = acc;
        }
}

/* Returns the final level estimate; smooth[] becomes the Kalman track. */
static float kalman(void) {
        float level = smooth[0], variance = 1.0f;
        for (int i = 0; i < SAMPLES; i++) {
                variance += KALMAN_Q;
                float gain = variance / (variance + KALMAN_R);
                level += gain * (smooth[i] - level);
                variance *= 1.0f - gain;
                smooth[i] = level;
        }
        return level;
}

static unsigned int crc32(const unsigned char *data, unsigned int len) {
        for (unsigned int n = 0; n < 256; n++) {
                unsigned int c = n;
                for (int bit = 0; bit < 8; bit++)
                        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
                crc_table[n] = c;
        }
        unsigned int crc = 0xffffffffu;
        for (unsigned int i = 0; i < len; i++)
                crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
        return crc ^ 0xffffffffu;
}

static void quantise(void) {
        for (int i = 0; i < SAMPLES; i++) {
                float q = smooth[i] * QUANTUM_PER_ATM;
                q = q > 32767.0f ? 32767.0f : q < -32768.0f ? -32768.0f : q;
                frame[i] = (short)q;
        }
}

AETHER_EXPORT("evaluate_limits") int evaluate_limits(void) {
        float pressure = aether_read_atmospheric_pressure();
        int dose = aether_read_radiation_dosimeter();
        union {
                float f;
                unsigned int u;
        } bits = {.f = pressure};

        synthesise(pressure, bits.u ^ (unsigned int)dose * 0x85ebca6bu);
        low_pass();
        float final_level = kalman();
        float total = 0.0f, lowest = smooth[0], highest = smooth[0];
        for (int i = 0; i < SAMPLES; i++) {
                total += smooth[i];
                lowest = smooth[i] < lowest ? smooth[i] : lowest;
                highest = smooth[i] > highest ? smooth[i] : highest;
        }
        quantise();

        int status = 0;
        float mean = total / SAMPLES;
        if (mean < PRESSURE_LOW_ATM)
                status |= AETHER_STATUS_PRESSURE_LOW;
        if (dose > DOSE_HIGH)
                status |= AETHER_STATUS_DOSE_HIGH;
        summary = (struct summary){
                .magic = SUMMARY_MAGIC,
                .status = (unsigned short)status,
                .samples = SAMPLES,
                .level_mean = mean,
                .level_min = lowest,
                .level_max = highest,
                .kalman_level = final_level,
                .dose = dose,
                .frame_crc32 = crc32((const unsigned char *)frame, sizeof(frame)),
        };
        aether_commit_telemetry_vector(&summary, sizeof(summary));
        return status;
}

/* Runs evaluate_limits n times in one call, so that a harness can time many
 * wakes' compute without its own call overhead; returns a checksum of every
 * status and frame CRC, which must agree across all the builds. */
AETHER_EXPORT("bench_loop") int bench_loop(int n) {
        unsigned int checksum = 0;
        for (int i = 0; i < n; i++) {
                int status = evaluate_limits();
                checksum = checksum * 31u + summary.frame_crc32 + (unsigned int)status;
        }
        return (int)checksum;
}
