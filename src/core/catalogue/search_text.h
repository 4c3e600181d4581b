#pragma once
// Search over Chinese text without a word segmenter: every searchable text is indexed by
// its single characters and adjacent pairs of characters (unigrams and bigrams), after
// normalisation. A query matches when all its bigrams (or its single character) occur,
// then the candidate is confirmed by a substring test on the normalised text. This finds
// two-character queries such as 食品, which a trigram index cannot, and item codes.
// See docs/decisions/0003-search-by-character-bigrams.md.
#include <string>
#include <string_view>
#include <vector>

namespace shenpi::core {

//! Lower-cases ASCII, folds full-width ASCII (ＡＢＣ１２３) to half-width, and drops white
//! space and punctuation (ASCII and CJK). Invalid UTF-8 bytes are dropped.
std::string normalize_for_search(std::string_view text);

//! The distinct grams (unigrams and bigrams of code points) of the normalised text, sorted.
std::vector<std::string> index_grams(std::string_view text);

//! The grams a query needs: its distinct bigrams, or its single code point when it has
//! one. Empty when the normalised query is empty.
std::vector<std::string> query_grams(std::string_view query);

}  // namespace shenpi::core
