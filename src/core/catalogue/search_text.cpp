#include "core/catalogue/search_text.h"

#include <algorithm>
#include <cstdint>

namespace shenpi::core {
namespace {

// Decodes UTF-8 into code points. Malformed sequences (bad lead byte, missing or bad
// continuation byte, overlong forms, surrogates, values past U+10FFFF) are skipped one
// byte at a time, so invalid input loses only its invalid bytes.
std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    int len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      ++i;  // a stray continuation byte or an invalid lead byte
      continue;
    }
    if (i + static_cast<std::size_t>(len) > s.size()) {
      ++i;
      continue;
    }
    bool good = true;
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) {
        good = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (!good || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// True for code points that carry no meaning for search: controls, white space and
// punctuation, ASCII and CJK alike. Letters, digits, ideographs and other symbols stay.
bool is_ignorable(char32_t cp) {
  if (cp < 0x80) {
    const bool alnum =
        (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return !alnum;  // controls, space and every ASCII punctuation mark
  }
  if (cp <= 0xA0) return true;  // C1 controls, no-break space
  if (cp == 0xA7 || cp == 0xAB || cp == 0xB7 || cp == 0xBB) return true;  // § « · »
  if (cp >= 0x2000 && cp <= 0x206F) return true;  // general punctuation: spaces, dashes, “”, …
  if (cp >= 0x3000 && cp <= 0x303F) return true;  // CJK symbols and punctuation: 　、。《》【】
  if (cp >= 0xFE10 && cp <= 0xFE1F) return true;  // vertical forms
  if (cp >= 0xFE30 && cp <= 0xFE6F) return true;  // CJK compatibility and small form variants
  if (cp == 0xFEFF) return true;                  // byte order mark
  if (cp >= 0xFF00 && cp <= 0xFF65) return true;  // the rest of the full-width punctuation
  return false;
}

// The normalised code points: full-width ASCII folded, ASCII lower-cased, ignorable
// code points dropped.
std::vector<char32_t> normalized_code_points(std::string_view text) {
  std::vector<char32_t> out;
  for (char32_t cp : decode_utf8(text)) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // ＡＢＣ１２３！ → ABC123!
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (is_ignorable(cp)) continue;
    out.push_back(cp);
  }
  return out;
}

std::string encode(const char32_t* first, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) append_utf8(s, first[i]);
  return s;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::string normalize_for_search(std::string_view text) {
  const auto cps = normalized_code_points(text);
  return encode(cps.data(), cps.size());
}

std::vector<std::string> index_grams(std::string_view text) {
  const auto cps = normalized_code_points(text);
  std::vector<std::string> grams;
  grams.reserve(cps.size() * 2);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    grams.push_back(encode(&cps[i], 1));
    if (i + 1 < cps.size()) grams.push_back(encode(&cps[i], 2));
  }
  sort_unique(grams);
  return grams;
}

std::vector<std::string> query_grams(std::string_view query) {
  const auto cps = normalized_code_points(query);
  std::vector<std::string> grams;
  if (cps.size() == 1) {
    grams.push_back(encode(cps.data(), 1));
    return grams;
  }
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) grams.push_back(encode(&cps[i], 2));
  sort_unique(grams);
  return grams;
}

}  // namespace shenpi::core
