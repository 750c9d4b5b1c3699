#ifndef ARQAM_CFREETYPE_SHIM_H
#define ARQAM_CFREETYPE_SHIM_H
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_GLYPH_H
#include FT_STROKER_H

/* FreeType's flags are parenthesised shift macros; these constants give Swift one name
   each, whatever the importer makes of the macro text. */
static const FT_Int32 arqam_ft_load_no_scale = FT_LOAD_NO_SCALE;
static const FT_Long arqam_ft_style_bold = FT_STYLE_FLAG_BOLD;
static const FT_Long arqam_ft_style_italic = FT_STYLE_FLAG_ITALIC;
#endif
