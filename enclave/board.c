/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* board.c: board description parser and consistency checks (pure, no allocation). */
#include "board.h"

#include "config.h"

/* AETHER_CFG_WAKE_QUEUE as text, for its range message. */
#define TEXT_OF(x) #x
#define VALUE_TEXT(x) TEXT_OF(x)
#define WAKE_QUEUE_TEXT VALUE_TEXT(AETHER_CFG_WAKE_QUEUE)

/* The longest directive has 8 words ("uplink pci V D bar N min-size S"); one
 * more slot keeps the first trailing word for the error. */
#define MAX_WORDS 9

/* A word of the board text: not NUL-terminated, never empty. */
struct token {
        const char *text;
        size_t length;
};

/* The words of one line and a cursor over them. */
struct words {
        struct token word[MAX_WORDS];
        size_t count;
        size_t next;
        uint32_t line;
};

/* The directives that may appear at most once; wake lines are counted apart. */
enum directive {
        DIRECTIVE_HEADER,
        DIRECTIVE_NAME,
        DIRECTIVE_LAPIC,
        DIRECTIVE_IOAPIC,
        DIRECTIVE_LAPIC_TIMER_HZ,
        DIRECTIVE_LOG,
        DIRECTIVE_EXIT,
        DIRECTIVE_FW_CFG,
        DIRECTIVE_UPLINK,
        DIRECTIVE_SENSOR_PRESSURE,
        DIRECTIVE_SENSOR_DOSE,
        DIRECTIVE_WATCHDOG_US,
        DIRECTIVE_MAX_WAKES,
        DIRECTIVE_WAKE_QUEUE,
        DIRECTIVE_KEY_SOURCE,
        DIRECTIVE_COUNT,
};

static const char *const directive_name[DIRECTIVE_COUNT] = {
        [DIRECTIVE_HEADER] = "aether-board",
        [DIRECTIVE_NAME] = "name",
        [DIRECTIVE_LAPIC] = "lapic",
        [DIRECTIVE_IOAPIC] = "ioapic",
        [DIRECTIVE_LAPIC_TIMER_HZ] = "lapic-timer-hz",
        [DIRECTIVE_LOG] = "log",
        [DIRECTIVE_EXIT] = "exit",
        [DIRECTIVE_FW_CFG] = "fw-cfg",
        [DIRECTIVE_UPLINK] = "uplink",
        [DIRECTIVE_SENSOR_PRESSURE] = "sensor pressure",
        [DIRECTIVE_SENSOR_DOSE] = "sensor dose",
        [DIRECTIVE_WATCHDOG_US] = "watchdog-us",
        [DIRECTIVE_MAX_WAKES] = "max-wakes",
        [DIRECTIVE_WAKE_QUEUE] = "wake-queue",
        [DIRECTIVE_KEY_SOURCE] = "key-source",
};

/* Directives a board must have, in the order their absence is reported. */
static const enum directive required_directive[] = {
        DIRECTIVE_NAME, DIRECTIVE_LOG, DIRECTIVE_UPLINK,
};

struct parse {
        struct aether_board *board;
        struct aether_board_error *err;
        uint32_t seen[DIRECTIVE_COUNT];                /* line of each directive, 0 if absent */
        uint32_t wake_line[AETHER_BOARD_MAX_WAKES];
        struct token gsi_token[AETHER_BOARD_MAX_WAKES];
};

/* An address range or port range the checks compare, last byte inclusive. */
struct extent {
        const char *name;
        uint64_t first;
        uint64_t last;
        uint32_t line;
};

static struct token word_token(const char *word) {
        size_t length = 0;
        while (word[length])
                length++;
        return (struct token){ word, length };
}

static bool token_is(struct token token, const char *word) {
        size_t i;
        for (i = 0; i < token.length; i++)
                if (word[i] != token.text[i])
                        return false;
        return word[i] == '\0';
}

static int fail(struct parse *p, enum aether_board_error_kind kind, uint32_t line, struct token token) {
        size_t kept = token.length < AETHER_BOARD_TOKEN_MAX ? token.length : AETHER_BOARD_TOKEN_MAX;
        p->err->kind = kind;
        p->err->line = line;
        for (size_t i = 0; i < kept; i++)
                p->err->token[i] = token.text[i];
        p->err->token[kept] = '\0';
        p->err->token_truncated = token.length > kept;
        return -1;
}

static bool is_control(unsigned char c) {
        return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
}

/* Splits the line at *pos into words, dropping its comment, and moves *pos
 * past the line's newline. Words past MAX_WORDS are dropped: no directive
 * reads that far, and the first trailing word is kept. */
static int split_line(struct parse *p, const char *text, size_t len, size_t *pos, struct words *w) {
        size_t start = *pos;
        size_t end = start;
        while (end < len && text[end] != '\n') {
                if (is_control((unsigned char)text[end]))
                        return fail(p, AETHER_BOARD_ERROR_CONTROL_CHARACTER, w->line, word_token(""));
                end++;
        }
        *pos = end < len ? end + 1 : end;

        size_t stop = start;
        while (stop < end && text[stop] != '#')
                stop++;
        size_t i = start;
        while (i < stop) {
                if (is_blank(text[i])) {
                        i++;
                        continue;
                }
                size_t begin = i;
                while (i < stop && !is_blank(text[i]))
                        i++;
                if (w->count < MAX_WORDS)
                        w->word[w->count++] = (struct token){ text + begin, i - begin };
        }
        return 0;
}

enum number_status {
        NUMBER_OK,
        NUMBER_BAD,
        NUMBER_OVERFLOW,
};

static int digit_value(char c, unsigned base) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (base == 16 && c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (base == 16 && c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Unsigned decimal, or hex after 0x; the value must fit 64 bits. */
static enum number_status parse_number(struct token token, uint64_t *value) {
        unsigned base = 10;
        size_t i = 0;
        if (token.length > 2 && token.text[0] == '0' && (token.text[1] == 'x' || token.text[1] == 'X')) {
                base = 16;
                i = 2;
        }
        for (size_t j = i; j < token.length; j++)
                if (digit_value(token.text[j], base) < 0)
                        return NUMBER_BAD;
        uint64_t result = 0;
        for (; i < token.length; i++) {
                unsigned digit = (unsigned)digit_value(token.text[i], base);
                if (result > (UINT64_MAX - digit) / base)
                        return NUMBER_OVERFLOW;
                result = result * base + digit;
        }
        *value = result;
        return NUMBER_OK;
}

static bool is_aligned(uint64_t value, uint64_t alignment) {
        return (value & (alignment - 1)) == 0;
}

static bool is_region_size(uint64_t size) {
        return size >= 0x1000 && (size & (size - 1)) == 0;
}

/* Marks directive d as seen on this line, or fails if it was seen before. */
static int claim(struct parse *p, const struct words *w, enum directive d) {
        if (p->seen[d])
                return fail(p, AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE, w->line, word_token(directive_name[d]));
        p->seen[d] = w->line;
        return 0;
}

static int take_word(struct parse *p, struct words *w, struct token *token) {
        if (w->next >= w->count)
                return fail(p, AETHER_BOARD_ERROR_MISSING_ARGUMENT, w->line, w->word[0]);
        *token = w->word[w->next++];
        return 0;
}

static int take_keyword(struct parse *p, struct words *w, const char *keyword) {
        struct token token;
        if (take_word(p, w, &token))
                return -1;
        if (!token_is(token, keyword))
                return fail(p, AETHER_BOARD_ERROR_EXPECTED_KEYWORD, w->line, word_token(keyword));
        return 0;
}

/* Takes an unsigned number that fits 64 bits. */
static int take_u64(struct parse *p, struct words *w, uint64_t *value, struct token *token) {
        if (take_word(p, w, token))
                return -1;
        switch (parse_number(*token, value)) {
        case NUMBER_OK:
                return 0;
        case NUMBER_BAD:
                return fail(p, AETHER_BOARD_ERROR_BAD_NUMBER, w->line, *token);
        case NUMBER_OVERFLOW:
                return fail(p, AETHER_BOARD_ERROR_NUMBER_OVERFLOW, w->line, *token);
        }
        return fail(p, AETHER_BOARD_ERROR_BAD_NUMBER, w->line, *token);
}

/* Takes a number in min..max; outside it fails with range_error. */
static int take_number(struct parse *p, struct words *w, uint64_t min, uint64_t max,
                       enum aether_board_error_kind range_error, uint64_t *value, struct token *token) {
        if (take_u64(p, w, value, token))
                return -1;
        if (*value < min || *value > max)
                return fail(p, range_error, w->line, *token);
        return 0;
}

/* Takes a 64-bit address aligned to alignment. */
static int take_address(struct parse *p, struct words *w, uint64_t alignment,
                        enum aether_board_error_kind misaligned, uint64_t *value) {
        struct token token;
        if (take_u64(p, w, value, &token))
                return -1;
        if (!is_aligned(*value, alignment))
                return fail(p, misaligned, w->line, token);
        return 0;
}

/* Takes the first port of a range of width ports that must end by 0xffff. */
static int take_port(struct parse *p, struct words *w, uint64_t width, uint16_t *port) {
        uint64_t value;
        struct token token;
        if (take_number(p, w, 0, 0x10000 - width, AETHER_BOARD_ERROR_PORT_RANGE, &value, &token))
                return -1;
        if (width == AETHER_BOARD_UART_PORTS && !is_aligned(value, AETHER_BOARD_UART_PORTS))
                return fail(p, AETHER_BOARD_ERROR_MISALIGNED_UART, w->line, token);
        *port = (uint16_t)value;
        return 0;
}

static int take_region_size(struct parse *p, struct words *w, uint64_t *size) {
        struct token token;
        if (take_u64(p, w, size, &token))
                return -1;
        if (!is_region_size(*size))
                return fail(p, AETHER_BOARD_ERROR_BAD_REGION_SIZE, w->line, token);
        return 0;
}

static int finish(struct parse *p, const struct words *w) {
        if (w->next < w->count)
                return fail(p, AETHER_BOARD_ERROR_TRAILING_TOKENS, w->line, w->word[w->next]);
        return 0;
}

static int parse_header(struct parse *p, struct words *w) {
        uint64_t version;
        struct token token;
        if (claim(p, w, DIRECTIVE_HEADER) ||
            take_number(p, w, AETHER_BOARD_FORMAT_VERSION, AETHER_BOARD_FORMAT_VERSION,
                        AETHER_BOARD_ERROR_UNSUPPORTED_VERSION, &version, &token))
                return -1;
        return finish(p, w);
}

static bool is_name_char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
}

static int parse_name(struct parse *p, struct words *w) {
        struct token token;
        if (claim(p, w, DIRECTIVE_NAME) || take_word(p, w, &token))
                return -1;
        if (token.length > AETHER_BOARD_NAME_MAX)
                return fail(p, AETHER_BOARD_ERROR_BAD_NAME, w->line, token);
        for (size_t i = 0; i < token.length; i++) {
                if (!is_name_char(token.text[i]))
                        return fail(p, AETHER_BOARD_ERROR_BAD_NAME, w->line, token);
                p->board->name[i] = token.text[i];
        }
        p->board->name[token.length] = '\0';
        return finish(p, w);
}

static int parse_lapic(struct parse *p, struct words *w) {
        if (claim(p, w, DIRECTIVE_LAPIC) ||
            take_address(p, w, 0x1000, AETHER_BOARD_ERROR_MISALIGNED_PAGE, &p->board->lapic_base))
                return -1;
        p->board->has_lapic = true;
        return finish(p, w);
}

static int parse_ioapic(struct parse *p, struct words *w) {
        uint64_t pins;
        struct token token;
        if (claim(p, w, DIRECTIVE_IOAPIC) ||
            take_address(p, w, 0x100, AETHER_BOARD_ERROR_MISALIGNED_IOAPIC, &p->board->ioapic_base) ||
            take_number(p, w, 1, AETHER_BOARD_IOAPIC_MAX_PINS, AETHER_BOARD_ERROR_IOAPIC_PINS_RANGE, &pins,
                        &token))
                return -1;
        p->board->ioapic_pins = (uint32_t)pins;
        p->board->has_ioapic = true;
        return finish(p, w);
}

static int parse_lapic_timer_hz(struct parse *p, struct words *w) {
        uint64_t hz;
        struct token token;
        if (claim(p, w, DIRECTIVE_LAPIC_TIMER_HZ) ||
            take_number(p, w, 1, UINT32_MAX, AETHER_BOARD_ERROR_TIMER_HZ_RANGE, &hz, &token))
                return -1;
        p->board->lapic_timer_hz = (uint32_t)hz;
        return finish(p, w);
}

static int parse_log(struct parse *p, struct words *w) {
        struct token kind;
        if (claim(p, w, DIRECTIVE_LOG) || take_word(p, w, &kind))
                return -1;
        uint64_t width;
        if (token_is(kind, "debugcon")) {
                p->board->log.kind = AETHER_BOARD_LOG_DEBUGCON;
                width = 1;
        } else if (token_is(kind, "uart")) {
                p->board->log.kind = AETHER_BOARD_LOG_UART;
                width = AETHER_BOARD_UART_PORTS;
        } else {
                return fail(p, AETHER_BOARD_ERROR_BAD_LOG_KIND, w->line, kind);
        }
        if (take_port(p, w, width, &p->board->log.port))
                return -1;
        return finish(p, w);
}

static int parse_exit(struct parse *p, struct words *w) {
        if (claim(p, w, DIRECTIVE_EXIT) || take_keyword(p, w, "isa-debug-exit") ||
            take_port(p, w, 1, &p->board->exit_port))
                return -1;
        p->board->has_exit = true;
        return finish(p, w);
}

static int parse_fw_cfg(struct parse *p, struct words *w) {
        if (claim(p, w, DIRECTIVE_FW_CFG) || take_port(p, w, AETHER_BOARD_FW_CFG_PORTS, &p->board->fw_cfg_port))
                return -1;
        p->board->has_fw_cfg = true;
        return finish(p, w);
}

static int parse_uplink_pci(struct parse *p, struct words *w) {
        uint64_t vendor, device, bar;
        struct token token;
        if (take_number(p, w, 0, UINT16_MAX, AETHER_BOARD_ERROR_PCI_ID_RANGE, &vendor, &token) ||
            take_number(p, w, 0, UINT16_MAX, AETHER_BOARD_ERROR_PCI_ID_RANGE, &device, &token) ||
            take_keyword(p, w, "bar") ||
            take_number(p, w, 0, 5, AETHER_BOARD_ERROR_BAR_RANGE, &bar, &token) ||
            take_keyword(p, w, "min-size") || take_region_size(p, w, &p->board->uplink.pci_min_size))
                return -1;
        p->board->uplink.kind = AETHER_BOARD_UPLINK_PCI;
        p->board->uplink.pci_vendor = (uint16_t)vendor;
        p->board->uplink.pci_device = (uint16_t)device;
        p->board->uplink.pci_bar = (uint8_t)bar;
        return 0;
}

static int parse_uplink_mmio(struct parse *p, struct words *w) {
        if (take_address(p, w, 0x1000, AETHER_BOARD_ERROR_MISALIGNED_PAGE, &p->board->uplink.mmio_base) ||
            take_region_size(p, w, &p->board->uplink.mmio_size))
                return -1;
        if (p->board->uplink.mmio_size - 1 > UINT64_MAX - p->board->uplink.mmio_base)
                return fail(p, AETHER_BOARD_ERROR_REGION_WRAPS, w->line, w->word[0]);
        p->board->uplink.kind = AETHER_BOARD_UPLINK_MMIO;
        return 0;
}

static int parse_uplink(struct parse *p, struct words *w) {
        struct token kind;
        if (claim(p, w, DIRECTIVE_UPLINK) || take_word(p, w, &kind))
                return -1;
        int result;
        if (token_is(kind, "pci"))
                result = parse_uplink_pci(p, w);
        else if (token_is(kind, "mmio"))
                result = parse_uplink_mmio(p, w);
        else
                result = fail(p, AETHER_BOARD_ERROR_BAD_UPLINK_KIND, w->line, kind);
        return result ? result : finish(p, w);
}

static int parse_sensor(struct parse *p, struct words *w) {
        struct token kind;
        if (take_word(p, w, &kind))
                return -1;
        enum directive d;
        uint64_t *addr;
        if (token_is(kind, "pressure")) {
                d = DIRECTIVE_SENSOR_PRESSURE;
                addr = &p->board->sensor_pressure_addr;
        } else if (token_is(kind, "dose")) {
                d = DIRECTIVE_SENSOR_DOSE;
                addr = &p->board->sensor_dose_addr;
        } else {
                return fail(p, AETHER_BOARD_ERROR_BAD_SENSOR_KIND, w->line, kind);
        }
        if (claim(p, w, d) || take_keyword(p, w, "mmio") ||
            take_address(p, w, AETHER_BOARD_SENSOR_SIZE, AETHER_BOARD_ERROR_MISALIGNED_REGISTER, addr))
                return -1;
        return finish(p, w);
}

/* `gsi N` (checked against the pin count once the file is read) or `irq N`
 * (an ISA IRQ, 0..15); neither may repeat an earlier wake's. */
static int take_input(struct parse *p, struct words *w, size_t index, struct aether_board_wake *wake) {
        uint64_t value;
        struct token kind, *token = &p->gsi_token[index];
        if (take_word(p, w, &kind))
                return -1;
        if (token_is(kind, "gsi")) {
                if (take_number(p, w, 0, UINT32_MAX, AETHER_BOARD_ERROR_GSI_RANGE, &value, token))
                        return -1;
                wake->input = AETHER_BOARD_INPUT_GSI;
                wake->gsi = (uint32_t)value;
        } else if (token_is(kind, "irq")) {
                if (take_number(p, w, 0, AETHER_BOARD_ISA_IRQS - 1, AETHER_BOARD_ERROR_IRQ_RANGE, &value, token))
                        return -1;
                wake->input = AETHER_BOARD_INPUT_ISA_IRQ;
                wake->irq = (uint8_t)value;
        } else {
                return fail(p, AETHER_BOARD_ERROR_EXPECTED_KEYWORD, w->line, word_token("gsi|irq"));
        }
        for (size_t i = 0; i < index; i++) {
                const struct aether_board_wake *other = &p->board->wakes[i];
                if (other->input != wake->input)
                        continue;
                if (wake->input == AETHER_BOARD_INPUT_GSI && other->gsi == wake->gsi)
                        return fail(p, AETHER_BOARD_ERROR_DUPLICATE_GSI, w->line, *token);
                if (wake->input == AETHER_BOARD_INPUT_ISA_IRQ && other->irq == wake->irq)
                        return fail(p, AETHER_BOARD_ERROR_DUPLICATE_IRQ, w->line, *token);
        }
        return 0;
}

/* `line gsi N edge|level high|low`, or `line irq N`, whose trigger and
 * polarity come from ACPI. */
static int parse_wake_line(struct parse *p, struct words *w, struct aether_board_wake *wake, size_t index) {
        struct token trigger, polarity;
        if (take_input(p, w, index, wake))
                return -1;
        if (wake->input == AETHER_BOARD_INPUT_ISA_IRQ)
                return 0;
        if (take_word(p, w, &trigger))
                return -1;
        if (token_is(trigger, "level"))
                wake->level_triggered = true;
        else if (!token_is(trigger, "edge"))
                return fail(p, AETHER_BOARD_ERROR_BAD_TRIGGER, w->line, trigger);
        if (take_word(p, w, &polarity))
                return -1;
        if (token_is(polarity, "low"))
                wake->active_low = true;
        else if (!token_is(polarity, "high"))
                return fail(p, AETHER_BOARD_ERROR_BAD_POLARITY, w->line, polarity);
        return 0;
}

static int parse_wake(struct parse *p, struct words *w) {
        size_t index = p->board->wake_count;
        if (index == AETHER_BOARD_MAX_WAKES)
                return fail(p, AETHER_BOARD_ERROR_TOO_MANY_WAKES, w->line, w->word[0]);
        struct aether_board_wake *wake = &p->board->wakes[index];
        uint64_t vector;
        struct token vector_token, source;
        if (take_number(p, w, AETHER_BOARD_WAKE_VECTOR_FIRST, AETHER_BOARD_WAKE_VECTOR_LAST,
                        AETHER_BOARD_ERROR_BAD_VECTOR, &vector, &vector_token))
                return -1;
        for (size_t i = 0; i < index; i++)
                if (p->board->wakes[i].vector == vector)
                        return fail(p, AETHER_BOARD_ERROR_DUPLICATE_VECTOR, w->line, vector_token);
        wake->vector = (uint8_t)vector;
        if (take_word(p, w, &source))
                return -1;
        int result;
        if (token_is(source, "uart")) {
                wake->source = AETHER_BOARD_WAKE_UART;
                result = take_port(p, w, AETHER_BOARD_UART_PORTS, &wake->uart_port) ||
                         take_input(p, w, index, wake);
        } else if (token_is(source, "line")) {
                wake->source = AETHER_BOARD_WAKE_LINE;
                result = parse_wake_line(p, w, wake, index);
        } else {
                result = fail(p, AETHER_BOARD_ERROR_BAD_WAKE_SOURCE, w->line, source);
        }
        if (result || finish(p, w))
                return -1;
        p->wake_line[index] = w->line;
        p->board->wake_count++;
        return 0;
}

static int parse_watchdog_us(struct parse *p, struct words *w) {
        uint64_t us;
        struct token token;
        if (claim(p, w, DIRECTIVE_WATCHDOG_US) ||
            take_number(p, w, 1, AETHER_BOARD_WATCHDOG_US_MAX, AETHER_BOARD_ERROR_WATCHDOG_RANGE, &us, &token))
                return -1;
        p->board->watchdog_us = (uint32_t)us;
        return finish(p, w);
}

static int parse_max_wakes(struct parse *p, struct words *w) {
        uint64_t wakes;
        struct token token;
        if (claim(p, w, DIRECTIVE_MAX_WAKES) ||
            take_number(p, w, 0, UINT32_MAX, AETHER_BOARD_ERROR_MAX_WAKES_RANGE, &wakes, &token))
                return -1;
        p->board->max_wakes = (uint32_t)wakes;
        return finish(p, w);
}

static int parse_wake_queue(struct parse *p, struct words *w) {
        uint64_t wakes;
        struct token token;
        if (claim(p, w, DIRECTIVE_WAKE_QUEUE) ||
            take_number(p, w, 1, AETHER_CFG_WAKE_QUEUE, AETHER_BOARD_ERROR_WAKE_QUEUE_RANGE, &wakes, &token))
                return -1;
        p->board->wake_queue = (uint32_t)wakes;
        return finish(p, w);
}

static int parse_key_source(struct parse *p, struct words *w) {
        struct token source;
        if (claim(p, w, DIRECTIVE_KEY_SOURCE) || take_word(p, w, &source))
                return -1;
        if (token_is(source, "development"))
                p->board->key_source = AETHER_BOARD_KEY_DEVELOPMENT;
        else if (token_is(source, "uefi-variable"))
                p->board->key_source = AETHER_BOARD_KEY_UEFI_VARIABLE;
        else if (token_is(source, "tpm"))
                p->board->key_source = AETHER_BOARD_KEY_TPM;
        else
                return fail(p, AETHER_BOARD_ERROR_BAD_KEY_SOURCE, w->line, source);
        return finish(p, w);
}

static const struct {
        const char *keyword;
        int (*parse)(struct parse *p, struct words *w);
} directive_parsers[] = {
        { "aether-board", parse_header },
        { "name", parse_name },
        { "lapic", parse_lapic },
        { "ioapic", parse_ioapic },
        { "lapic-timer-hz", parse_lapic_timer_hz },
        { "log", parse_log },
        { "exit", parse_exit },
        { "fw-cfg", parse_fw_cfg },
        { "uplink", parse_uplink },
        { "sensor", parse_sensor },
        { "wake", parse_wake },
        { "watchdog-us", parse_watchdog_us },
        { "max-wakes", parse_max_wakes },
        { "wake-queue", parse_wake_queue },
        { "key-source", parse_key_source },
};

static int parse_directive(struct parse *p, struct words *w) {
        struct token keyword = w->word[0];
        w->next = 1;
        if (!p->seen[DIRECTIVE_HEADER] && !token_is(keyword, "aether-board"))
                return fail(p, AETHER_BOARD_ERROR_MISSING_HEADER, w->line, keyword);
        for (size_t i = 0; i < sizeof directive_parsers / sizeof directive_parsers[0]; i++)
                if (token_is(keyword, directive_parsers[i].keyword))
                        return directive_parsers[i].parse(p, w);
        return fail(p, AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE, w->line, keyword);
}

/* Fails on the first overlap between two extents, reported at the later
 * directive's line and naming the earlier one. */
static int check_disjoint(struct parse *p, const struct extent *extents, size_t count,
                          enum aether_board_error_kind overlap) {
        const struct extent *later = NULL, *earlier = NULL;
        for (size_t i = 0; i < count; i++)
                for (size_t j = 0; j < count; j++) {
                        const struct extent *a = &extents[i], *b = &extents[j];
                        if (a->line >= b->line || a->first > b->last || b->first > a->last)
                                continue;
                        if (!later || b->line < later->line) {
                                later = b;
                                earlier = a;
                        }
                }
        if (later)
                return fail(p, overlap, later->line, word_token(earlier->name));
        return 0;
}

static int check_mmio_regions(struct parse *p) {
        const struct aether_board *b = p->board;
        struct extent regions[5];
        size_t count = 0;
        if (b->has_lapic)
                regions[count++] = (struct extent){ "lapic", b->lapic_base,
                                                    b->lapic_base + (AETHER_BOARD_LAPIC_SIZE - 1),
                                                    p->seen[DIRECTIVE_LAPIC] };
        if (b->has_ioapic)
                regions[count++] = (struct extent){ "ioapic", b->ioapic_base,
                                                    b->ioapic_base + (AETHER_BOARD_IOAPIC_SIZE - 1),
                                                    p->seen[DIRECTIVE_IOAPIC] };
        if (b->uplink.kind == AETHER_BOARD_UPLINK_MMIO)
                regions[count++] = (struct extent){ "uplink", b->uplink.mmio_base,
                                                    b->uplink.mmio_base + (b->uplink.mmio_size - 1),
                                                    p->seen[DIRECTIVE_UPLINK] };
        if (b->has_sensors) {
                regions[count++] = (struct extent){ "sensor pressure", b->sensor_pressure_addr,
                                                    b->sensor_pressure_addr + (AETHER_BOARD_SENSOR_SIZE - 1),
                                                    p->seen[DIRECTIVE_SENSOR_PRESSURE] };
                regions[count++] = (struct extent){ "sensor dose", b->sensor_dose_addr,
                                                    b->sensor_dose_addr + (AETHER_BOARD_SENSOR_SIZE - 1),
                                                    p->seen[DIRECTIVE_SENSOR_DOSE] };
        }
        return check_disjoint(p, regions, count, AETHER_BOARD_ERROR_REGION_OVERLAP);
}

static int check_port_ranges(struct parse *p) {
        const struct aether_board *b = p->board;
        struct extent ranges[3 + AETHER_BOARD_MAX_WAKES];
        size_t count = 0;
        uint64_t log_width = b->log.kind == AETHER_BOARD_LOG_UART ? AETHER_BOARD_UART_PORTS : 1;
        ranges[count++] = (struct extent){ "log", b->log.port, b->log.port + log_width - 1, p->seen[DIRECTIVE_LOG] };
        if (b->has_exit)
                ranges[count++] = (struct extent){ "exit", b->exit_port, b->exit_port, p->seen[DIRECTIVE_EXIT] };
        if (b->has_fw_cfg)
                ranges[count++] = (struct extent){ "fw-cfg", b->fw_cfg_port,
                                                   b->fw_cfg_port + (AETHER_BOARD_FW_CFG_PORTS - 1),
                                                   p->seen[DIRECTIVE_FW_CFG] };
        for (size_t i = 0; i < b->wake_count; i++)
                if (b->wakes[i].source == AETHER_BOARD_WAKE_UART)
                        ranges[count++] = (struct extent){ "wake uart", b->wakes[i].uart_port,
                                                           b->wakes[i].uart_port + (AETHER_BOARD_UART_PORTS - 1),
                                                           p->wake_line[i] };
        return check_disjoint(p, ranges, count, AETHER_BOARD_ERROR_PORT_OVERLAP);
}

/* The checks that need the whole file; last_line locates missing directives. */
static int check_board(struct parse *p, uint32_t last_line) {
        struct aether_board *b = p->board;
        if (!p->seen[DIRECTIVE_HEADER])
                return fail(p, AETHER_BOARD_ERROR_MISSING_HEADER, last_line, word_token(""));
        for (size_t i = 0; i < sizeof required_directive / sizeof required_directive[0]; i++)
                if (!p->seen[required_directive[i]])
                        return fail(p, AETHER_BOARD_ERROR_MISSING_DIRECTIVE, last_line,
                                    word_token(directive_name[required_directive[i]]));
        if (b->wake_count == 0)
                return fail(p, AETHER_BOARD_ERROR_MISSING_DIRECTIVE, last_line, word_token("wake"));

        uint32_t pressure_line = p->seen[DIRECTIVE_SENSOR_PRESSURE], dose_line = p->seen[DIRECTIVE_SENSOR_DOSE];
        if (pressure_line && !dose_line)
                return fail(p, AETHER_BOARD_ERROR_SENSOR_UNPAIRED, pressure_line, word_token("sensor dose"));
        if (dose_line && !pressure_line)
                return fail(p, AETHER_BOARD_ERROR_SENSOR_UNPAIRED, dose_line, word_token("sensor pressure"));
        b->has_sensors = pressure_line && dose_line;

        for (size_t i = 0; i < b->wake_count; i++) {
                if (b->wakes[i].source == AETHER_BOARD_WAKE_LINE && !b->has_sensors)
                        return fail(p, AETHER_BOARD_ERROR_SENSORS_MISSING, p->wake_line[i], word_token("line"));
                if (b->has_ioapic && b->wakes[i].input == AETHER_BOARD_INPUT_GSI &&
                    b->wakes[i].gsi >= b->ioapic_pins)
                        return fail(p, AETHER_BOARD_ERROR_GSI_RANGE, p->wake_line[i], p->gsi_token[i]);
        }
        if (check_mmio_regions(p) || check_port_ranges(p))
                return -1;
        return 0;
}

int aether_board_parse(const char *text, size_t len, struct aether_board *out,
                       struct aether_board_error *err) {
        struct parse p = { .board = out, .err = err };
        *out = (struct aether_board){ .watchdog_us = AETHER_BOARD_WATCHDOG_US_DEFAULT,
                                      .wake_queue = AETHER_CFG_WAKE_QUEUE };
        uint32_t line = 0;
        size_t pos = 0;
        while (pos < len) {
                struct words w = { .line = ++line };
                if (split_line(&p, text, len, &pos, &w))
                        return -1;
                if (w.count && parse_directive(&p, &w))
                        return -1;
        }
        return check_board(&p, line ? line : 1);
}

const char *aether_board_error_message(enum aether_board_error_kind kind) {
        /* No default: the compiler flags an error kind without a message. */
        switch (kind) {
        case AETHER_BOARD_ERROR_CONTROL_CHARACTER:
                return "control character in board text";
        case AETHER_BOARD_ERROR_MISSING_HEADER:
                return "the first directive must be 'aether-board 1'";
        case AETHER_BOARD_ERROR_UNSUPPORTED_VERSION:
                return "unsupported board format version (this parser reads version 1)";
        case AETHER_BOARD_ERROR_UNKNOWN_DIRECTIVE:
                return "unknown directive";
        case AETHER_BOARD_ERROR_DUPLICATE_DIRECTIVE:
                return "directive given more than once";
        case AETHER_BOARD_ERROR_MISSING_DIRECTIVE:
                return "missing required directive";
        case AETHER_BOARD_ERROR_MISSING_ARGUMENT:
                return "missing argument";
        case AETHER_BOARD_ERROR_TRAILING_TOKENS:
                return "trailing tokens after the directive";
        case AETHER_BOARD_ERROR_EXPECTED_KEYWORD:
                return "expected keyword missing or misspelled";
        case AETHER_BOARD_ERROR_BAD_NUMBER:
                return "bad number (want unsigned decimal or 0x-hex)";
        case AETHER_BOARD_ERROR_NUMBER_OVERFLOW:
                return "number does not fit in 64 bits";
        case AETHER_BOARD_ERROR_BAD_NAME:
                return "board name must be 1 to 31 of A-Z a-z 0-9 _ -";
        case AETHER_BOARD_ERROR_BAD_LOG_KIND:
                return "log kind must be 'debugcon' or 'uart'";
        case AETHER_BOARD_ERROR_BAD_UPLINK_KIND:
                return "uplink kind must be 'pci' or 'mmio'";
        case AETHER_BOARD_ERROR_BAD_SENSOR_KIND:
                return "sensor must be 'pressure' or 'dose'";
        case AETHER_BOARD_ERROR_BAD_WAKE_SOURCE:
                return "wake source must be 'uart' or 'line'";
        case AETHER_BOARD_ERROR_BAD_TRIGGER:
                return "trigger must be 'edge' or 'level'";
        case AETHER_BOARD_ERROR_BAD_POLARITY:
                return "polarity must be 'high' or 'low'";
        case AETHER_BOARD_ERROR_PORT_RANGE:
                return "I/O port range runs past 0xffff";
        case AETHER_BOARD_ERROR_PCI_ID_RANGE:
                return "PCI vendor and device IDs must be 0..0xffff";
        case AETHER_BOARD_ERROR_BAR_RANGE:
                return "PCI BAR must be 0..5";
        case AETHER_BOARD_ERROR_IOAPIC_PINS_RANGE:
                return "ioapic pins must be 1..240";
        case AETHER_BOARD_ERROR_TIMER_HZ_RANGE:
                return "lapic-timer-hz must be 1..0xffffffff";
        case AETHER_BOARD_ERROR_WATCHDOG_RANGE:
                return "watchdog-us must be 1..10000000";
        case AETHER_BOARD_ERROR_MAX_WAKES_RANGE:
                return "max-wakes must be 0..0xffffffff";
        case AETHER_BOARD_ERROR_MISALIGNED_PAGE:
                return "address must be 4 KiB aligned";
        case AETHER_BOARD_ERROR_MISALIGNED_IOAPIC:
                return "ioapic address must be 0x100 aligned";
        case AETHER_BOARD_ERROR_MISALIGNED_REGISTER:
                return "sensor register address must be 4-byte aligned";
        case AETHER_BOARD_ERROR_MISALIGNED_UART:
                return "UART port must be 8-aligned";
        case AETHER_BOARD_ERROR_BAD_REGION_SIZE:
                return "size must be a power of two, at least 0x1000";
        case AETHER_BOARD_ERROR_REGION_WRAPS:
                return "MMIO region runs past the end of the address space";
        case AETHER_BOARD_ERROR_REGION_OVERLAP:
                return "MMIO region overlaps an earlier one";
        case AETHER_BOARD_ERROR_PORT_OVERLAP:
                return "I/O port range overlaps an earlier one";
        case AETHER_BOARD_ERROR_BAD_VECTOR:
                return "wake vector must be 0x20 or 0x21";
        case AETHER_BOARD_ERROR_DUPLICATE_VECTOR:
                return "wake vector used twice";
        case AETHER_BOARD_ERROR_TOO_MANY_WAKES:
                return "at most 2 wake lines";
        case AETHER_BOARD_ERROR_GSI_RANGE:
                return "gsi must be below the ioapic pin count";
        case AETHER_BOARD_ERROR_DUPLICATE_GSI:
                return "gsi used by two wake lines";
        case AETHER_BOARD_ERROR_SENSORS_MISSING:
                return "a 'line' wake needs 'sensor pressure' and 'sensor dose'";
        case AETHER_BOARD_ERROR_SENSOR_UNPAIRED:
                return "'sensor pressure' and 'sensor dose' go together";
        case AETHER_BOARD_ERROR_IRQ_RANGE:
                return "irq must be an ISA IRQ, 0..15";
        case AETHER_BOARD_ERROR_DUPLICATE_IRQ:
                return "irq used by two wake lines";
        case AETHER_BOARD_ERROR_WAKE_QUEUE_RANGE:
                return "wake-queue must be 1..AETHER_CFG_WAKE_QUEUE (" WAKE_QUEUE_TEXT ")";
        case AETHER_BOARD_ERROR_BAD_KEY_SOURCE:
                return "key-source must be 'development', 'uefi-variable' or 'tpm'";
        }
        return NULL;
}

/* Appends to a bounded buffer, counting what the whole text needs. */
struct writer {
        char *buf;
        size_t len;
        size_t need;
};

static void put_char(struct writer *out, char c) {
        if (out->need + 1 < out->len)
                out->buf[out->need] = c;
        out->need++;
}

static void put_string(struct writer *out, const char *s) {
        while (*s)
                put_char(out, *s++);
}

static void put_decimal(struct writer *out, uint32_t value) {
        char digits[10];
        size_t count = 0;
        do {
                digits[count++] = (char)('0' + value % 10);
                value /= 10;
        } while (value);
        while (count)
                put_char(out, digits[--count]);
}

static void put_description(struct writer *out, const struct aether_board_error *err) {
        const char *message = aether_board_error_message(err->kind);
        put_string(out, message ? message : "unknown board error");
        if (!err->token[0])
                return;
        put_string(out, " ('");
        for (size_t i = 0; i < AETHER_BOARD_TOKEN_MAX && err->token[i]; i++) {
                char c = err->token[i];
                put_char(out, c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (err->token_truncated)
                put_string(out, "...");
        put_string(out, "')");
}

static size_t finish_writer(struct writer *out) {
        if (out->len)
                out->buf[out->need < out->len ? out->need : out->len - 1] = '\0';
        return out->need;
}

size_t aether_board_error_describe(const struct aether_board_error *err, char *buf, size_t len) {
        struct writer out = { buf, len, 0 };
        put_description(&out, err);
        return finish_writer(&out);
}

size_t aether_board_error_format(const struct aether_board_error *err, char *buf, size_t len) {
        struct writer out = { buf, len, 0 };
        put_string(&out, "line ");
        put_decimal(&out, err->line);
        put_string(&out, ": ");
        put_description(&out, err);
        return finish_writer(&out);
}
