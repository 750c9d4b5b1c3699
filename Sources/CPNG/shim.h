#ifndef ARQAM_CPNG_SHIM_H
#define ARQAM_CPNG_SHIM_H

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libpng reports errors by longjmp. Every setjmp lives in one of the functions below and
 * every libpng call that can fail is made from inside it, so a longjmp only ever unwinds
 * C frames, never Swift ones. Errors come back as a code plus libpng's message. */

#define ARQAM_PNG_MESSAGE_CAPACITY 256

enum {
    ARQAM_PNG_OK = 0,
    ARQAM_PNG_LIBPNG_ERROR = 1,   /* libpng stopped: message holds its reason */
    ARQAM_PNG_TRUNCATED = 2,      /* the data ended before libpng had what it needed */
    ARQAM_PNG_OUT_OF_MEMORY = 3,
    ARQAM_PNG_LAYOUT_MISMATCH = 4 /* libpng's row size is not the one the caller sized for */
};

static inline void arqam_png_on_error(png_structp png, png_const_charp message) {
    char *destination = (char *)png_get_error_ptr(png);
    if (destination != NULL) {
        strncpy(destination, message != NULL ? message : "unknown libpng error",
                ARQAM_PNG_MESSAGE_CAPACITY - 1);
        destination[ARQAM_PNG_MESSAGE_CAPACITY - 1] = 0;
    }
    png_longjmp(png, 1);
}

/* A library prints nothing: warnings (ancillary CRC errors, odd ICC profiles) are dropped,
 * exactly as they do not change the decoded pixels. */
static inline void arqam_png_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

/* ---------------------------------------------------------------- writing */

typedef struct {
    unsigned char *data;
    size_t count;
    size_t capacity;
} arqam_png_sink;

static inline void arqam_png_sink_write(png_structp png, png_bytep data, size_t length) {
    arqam_png_sink *sink = (arqam_png_sink *)png_get_io_ptr(png);
    if (length > SIZE_MAX - sink->count) {
        png_error(png, "encoded PNG too large for memory");
    }
    if (sink->count + length > sink->capacity) {
        size_t capacity = sink->capacity < 4096 ? 4096 : sink->capacity;
        while (capacity < sink->count + length) {
            capacity = capacity > SIZE_MAX / 2 ? sink->count + length : capacity * 2;
        }
        unsigned char *grown = (unsigned char *)realloc(sink->data, capacity);
        if (grown == NULL) {
            png_error(png, "out of memory while encoding PNG");
        }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->count, data, length);
    sink->count += length;
}

static inline void arqam_png_sink_flush(png_structp png) {
    (void)png;
}

static inline void arqam_png_sink_free(arqam_png_sink *sink) {
    free(sink->data);
    sink->data = NULL;
    sink->count = 0;
    sink->capacity = 0;
}

/* Encodes width × height 8-bit gray pixels (row-major, no padding) into `sink`, which the
 * caller zero-initialises and later releases with arqam_png_sink_free, also on failure. */
static inline int arqam_png_encode_gray8(const unsigned char *pixels, uint32_t width, uint32_t height,
                                         arqam_png_sink *sink, char *message) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message,
                                              arqam_png_on_error, arqam_png_on_warning);
    if (png == NULL) {
        return ARQAM_PNG_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return ARQAM_PNG_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return ARQAM_PNG_LIBPNG_ERROR;
    }
    png_set_write_fn(png, sink, arqam_png_sink_write, arqam_png_sink_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, pixels + (size_t)y * width);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return ARQAM_PNG_OK;
}

#endif
