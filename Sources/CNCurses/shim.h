#ifndef ARQAM_CNCURSES_SHIM_H
#define ARQAM_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

/* ncurses' globals and function-like macros, as functions Swift can call. */

/* newterm on the standard streams: unlike initscr it reports failure instead of exiting. */
static inline SCREEN *arqam_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline WINDOW *arqam_stdscr(void) { return stdscr; }
static inline int arqam_rows(void) { return getmaxy(stdscr); }
static inline int arqam_columns(void) { return getmaxx(stdscr); }

static inline attr_t arqam_attr_normal(void) { return A_NORMAL; }
static inline attr_t arqam_attr_bold(void) { return A_BOLD; }
static inline attr_t arqam_attr_reverse(void) { return A_REVERSE; }
static inline attr_t arqam_attr_dim(void) { return A_DIM; }
static inline attr_t arqam_attr_underline(void) { return A_UNDERLINE; }

static inline int arqam_key_code_yes(void) { return KEY_CODE_YES; }

/* Reads one key or character; returns OK, KEY_CODE_YES or ERR like wget_wch. */
static inline int arqam_get_key(unsigned int *key) {
    wint_t value = 0;
    int result = wget_wch(stdscr, &value);
    *key = (unsigned int)value;
    return result;
}

/* Writes one cell: a spacing character, possibly followed by combining ones (text ends in 0). */
static inline int arqam_put_cell(int row, int column, const wchar_t *text, attr_t attributes, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, row, column, &cell);
}

/* After endwin: what ncurses left in the stdio buffer reaches the terminal before anything printed next. */
static inline void arqam_flush_output(void) { fflush(stdout); }

static inline const char *arqam_codeset(void) { return nl_langinfo(CODESET); }
#endif
