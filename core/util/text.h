// Showing bytes to people and scripts without mangling them.
//
// Redis keys and values are arbitrary bytes. displayBytes() keeps printable valid UTF-8 as is and
// writes every other byte as \xHH (lower-case hex), with '\' itself doubled, so the result is
// unambiguous — the text `\xff` shows as `\\xff`, the byte 0xFF as `\xff` — and
// parseDisplayedBytes() turns it back into the exact bytes. Escaped: invalid UTF-8, C0 controls
// and DEL, and every character that could make one text pass for another — C1 controls, bidi
// embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069, LRM/RLM), U+2028/U+2029,
// zero-width and invisible format characters (U+200B..U+200D, U+2060.., U+FEFF, tags, variation
// selectors, fillers) and the typographic spaces of U+2000..U+200A — each byte as \xHH (the
// no-break space and the ideographic space, ordinary in text, are kept). An emoji made of several
// code points — joined by U+200D, with U+FE0F, a skin tone, a keycap or a flag's tags — is one
// picture and kept whole; the same joiners and selectors anywhere else are escaped. This is the one
// rule for showing bytes: the dashboard's tables, detail pane, dialogs and action log, the audit
// log and the CLI all use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockscope {

std::string displayBytes(std::string_view bytes);
// The inverse: parseDisplayedBytes(displayBytes(b)) == b for all bytes b. nullopt for a lone '\'
// or a bad \xHH; other characters are taken as they are.
std::optional<std::string> parseDisplayedBytes(std::string_view text);
// True when `bytes` is valid UTF-8 without control characters: displayBytes() would not change it.
bool isPlainText(std::string_view bytes);

bool isValidUtf8(std::string_view bytes);
// Valid UTF-8 without a character that could make it read as other text (C1 controls, bidi
// overrides, U+2028/U+2029, zero-width characters): JSON may carry it as is, since JSON escapes
// C0 controls, quotes and '\' unambiguously itself.
bool isSafeJsonText(std::string_view bytes);

// Terminal columns `text` takes: East Asian wide and fullwidth characters (CJK, Hangul, fullwidth
// forms, most emoji) 2, combining marks 0, others 1; a byte that is not valid UTF-8 counts 1.
size_t displayWidth(std::string_view text);
// `text` fitted to exactly `width` columns for a table cell: cut on a character boundary (never
// inside a UTF-8 sequence) with a '~' marking the cut, then padded with spaces.
std::string fitWidth(std::string_view text, size_t width);

}  // namespace lockscope
