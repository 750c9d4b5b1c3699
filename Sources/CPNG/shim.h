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

/* ---------------------------------------------------------------- reading */

typedef struct {
    const unsigned char *bytes;
    size_t count;
    size_t offset;
    int ran_out;
} arqam_png_source;

static inline void arqam_png_source_read(png_structp png, png_bytep data, size_t length) {
    arqam_png_source *source = (arqam_png_source *)png_get_io_ptr(png);
    if (length > source->count - source->offset) {
        source->ran_out = 1;
        png_error(png, "unexpected end of data");
    }
    memcpy(data, source->bytes + source->offset, length);
    source->offset += length;
}

/* One decode. It must stay at one address from arqam_png_open to arqam_png_close: libpng
 * keeps pointers to `source` and `message`. Zero-initialise it before arqam_png_open. */
typedef struct {
    png_structp png;
    png_infop info;
    png_bytep *rows;
    arqam_png_source source;
    char message[ARQAM_PNG_MESSAGE_CAPACITY];
    /* IHDR */
    uint32_t width;
    uint32_t height;
    int bit_depth;
    int color_type;
    int interlaced;
    /* The file gamma (× 100000) as libpng resolves it from gAMA, sRGB (45455) or an iCCP
     * profile it recognises as sRGB; has_gamma is 0 when the file states none. */
    int has_gamma;
    int32_t gamma;
    /* sBIT: the largest significant-bit count of the colour (or gray) channels, 0 if absent.
     * libpng sizes its 16-bit gamma tables by it. */
    int significant_bits;
    /* PLTE, padded with black to 256 entries as libpng does for out-of-range indices. */
    int palette_count;
    unsigned char palette_rgb[256 * 3];
} arqam_png_reader;

static inline int arqam_png_failure(arqam_png_reader *reader) {
    return reader->source.ran_out ? ARQAM_PNG_TRUNCATED : ARQAM_PNG_LIBPNG_ERROR;
}

/* Reads the signature and every chunk up to the first IDAT, and fills the header fields.
 * Allocates nothing proportional to the image size. */
static inline int arqam_png_open(arqam_png_reader *reader, const unsigned char *bytes, size_t count) {
    reader->source.bytes = bytes;
    reader->source.count = count;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader->message,
                                         arqam_png_on_error, arqam_png_on_warning);
    if (reader->png == NULL) {
        return ARQAM_PNG_OUT_OF_MEMORY;
    }
    reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        return ARQAM_PNG_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(reader->png))) {
        return arqam_png_failure(reader);
    }
    png_set_read_fn(reader->png, &reader->source, arqam_png_source_read);
    /* The caller's pixel limit decides what is too large, not libpng's 1,000,000 per side. */
    png_set_user_limits(reader->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_read_info(reader->png, reader->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(reader->png, reader->info, &width, &height, &bit_depth, &color_type, &interlace,
                 NULL, NULL);
    reader->width = width;
    reader->height = height;
    reader->bit_depth = bit_depth;
    reader->color_type = color_type;
    reader->interlaced = interlace != PNG_INTERLACE_NONE;

    png_fixed_point gamma = 0;
    reader->has_gamma = png_get_gAMA_fixed(reader->png, reader->info, &gamma) != 0;
    reader->gamma = gamma;

    png_color_8p significant = NULL;
    reader->significant_bits = 0;
    if (png_get_sBIT(reader->png, reader->info, &significant) != 0 && significant != NULL) {
        if ((color_type & PNG_COLOR_MASK_COLOR) != 0) {
            int bits = significant->red;
            if (significant->green > bits) bits = significant->green;
            if (significant->blue > bits) bits = significant->blue;
            reader->significant_bits = bits;
        } else {
            reader->significant_bits = significant->gray;
        }
    }

    png_colorp palette = NULL;
    int palette_count = 0;
    memset(reader->palette_rgb, 0, sizeof reader->palette_rgb);
    if (png_get_PLTE(reader->png, reader->info, &palette, &palette_count) != 0 && palette != NULL) {
        if (palette_count > 256) {
            palette_count = 256;
        }
        for (int i = 0; i < palette_count; i++) {
            reader->palette_rgb[3 * i] = palette[i].red;
            reader->palette_rgb[3 * i + 1] = palette[i].green;
            reader->palette_rgb[3 * i + 2] = palette[i].blue;
        }
    }
    reader->palette_count = palette_count;
    return ARQAM_PNG_OK;
}

/* Reads every row, de-interlaced but otherwise untransformed (samples as stored: packed
 * 1/2/4-bit, big-endian 16-bit, palette indices, alpha kept), into `pixels`: height rows
 * of `row_bytes` each. Then reads the chunks after the image data up to IEND. */
static inline int arqam_png_read_rows(arqam_png_reader *reader, unsigned char *pixels, size_t row_bytes) {
    if (setjmp(png_jmpbuf(reader->png))) {
        return arqam_png_failure(reader);
    }
    png_set_interlace_handling(reader->png);
    png_read_update_info(reader->png, reader->info);
    if (png_get_rowbytes(reader->png, reader->info) != row_bytes) {
        return ARQAM_PNG_LAYOUT_MISMATCH;
    }
    reader->rows = (png_bytep *)malloc(sizeof(png_bytep) * (reader->height > 0 ? reader->height : 1));
    if (reader->rows == NULL) {
        return ARQAM_PNG_OUT_OF_MEMORY;
    }
    for (uint32_t y = 0; y < reader->height; y++) {
        reader->rows[y] = pixels + (size_t)y * row_bytes;
    }
    png_read_image(reader->png, reader->rows);
    png_read_end(reader->png, NULL);
    return ARQAM_PNG_OK;
}

static inline void arqam_png_close(arqam_png_reader *reader) {
    if (reader->png != NULL) {
        png_destroy_read_struct(&reader->png, reader->info != NULL ? &reader->info : NULL, NULL);
    }
    free(reader->rows);
    reader->rows = NULL;
    reader->png = NULL;
    reader->info = NULL;
}

#endif
