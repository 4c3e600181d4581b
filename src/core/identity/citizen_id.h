#pragma once
// 公民身份号码 (citizen identity number) per GB 11643-1999: the 18-character number on
// every resident identity card, used as the login and unique key of natural persons.
//
//   digits 1–6   region code (address at first registration; first digit 1–8)
//   digits 7–14  birth date YYYYMMDD
//   digits 15–17 sequence number; the 17th is odd for men and even for women
//   char 18      check character, ISO 7064 MOD 11-2 over the first 17 digits (0–9 or X)
#include <optional>
#include <string>
#include <string_view>

#include "core/identity/check_digit.h"
#include "core/result.h"

namespace shenpi::core {

//! Checks a citizen ID number and returns it normalised: surrounding ASCII blanks
//! removed and a lowercase check character 'x' upper-cased. `today` is "YYYY-MM-DD" (the
//! caller's calendar day in China): a birth date after it, before 1900-01-01 or not a
//! real day (e.g. 1990-02-29) is refused. On failure returns invalid_input naming `field`
//! with a Chinese message that says what is wrong (codes: citizen_id_empty,
//! citizen_id_length, citizen_id_chars, citizen_id_region, citizen_id_birth_date,
//! citizen_id_check). A malformed `today` is a caller bug: ErrorKind::internal.
Result<std::string> validate_citizen_id(std::string_view input, std::string_view today,
                                        std::string field = "id_number");

//! The same, but with CheckDigit::may_fail a wrong check character (citizen_id_check) is
//! let through: length, characters, region and birth date are still checked, and the
//! result is normalised the same way. For staff overrides of legacy numbers only.
Result<std::string> validate_citizen_id(std::string_view input, std::string_view today,
                                        CheckDigit check, std::string field = "id_number");

//! The MOD 11-2 check character ('0'–'9' or 'X') for the first 17 characters of `id`,
//! or nullopt unless those are 17 ASCII digits. Useful to build test numbers.
std::optional<char> citizen_id_check_char(std::string_view id);

//! The birth date of a validated number as "YYYY-MM-DD"; nullopt when `id` is not 18
//! characters with digits at positions 7–14.
std::optional<std::string> citizen_id_birth_date(std::string_view id);

enum class Sex { male, female };

//! The sex recorded in a validated number (17th digit odd: male, even: female); nullopt
//! when `id` is shorter than 17 characters or its 17th character is not a digit.
std::optional<Sex> citizen_id_sex(std::string_view id);

}  // namespace shenpi::core
