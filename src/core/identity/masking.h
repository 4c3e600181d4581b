#pragma once
// Masked display of personal data (Art. 24): everyone but the owner and the staff handling
// their case sees these forms. All functions count UTF-8 code points, never bytes. When
// an input is too short to keep the stated ends and still hide something, everything is
// masked, so a malformed value never shows in full.
#include <string>
#include <string_view>

namespace shenpi::core {

//! Keeps the first `keep_front` and last `keep_back` code points and replaces each one
//! in between with '*'. When fewer than keep_front + keep_back + 1 code points remain to
//! hide, every code point becomes '*'. Invalid UTF-8 bytes count as one code point each.
std::string mask_middle(std::string_view text, std::size_t keep_front, std::size_t keep_back);

//! "445102199003071234" → "4451**********1234" (first 4 and last 4 kept).
std::string mask_citizen_id(std::string_view id);

//! "91350100M000100Y43" → "9135**********0Y43" (first 4 and last 4 kept).
std::string mask_credit_code(std::string_view code);

//! "13812345678" → "138****5678" (first 3 and last 4 kept).
std::string mask_phone(std::string_view phone);

//! "张三丰" → "张**", "欧阳修" → "欧**": the first character is kept and every other
//! becomes '*'; a one-character name becomes "*".
std::string mask_name(std::string_view name);

}  // namespace shenpi::core
