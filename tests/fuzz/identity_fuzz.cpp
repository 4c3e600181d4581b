// libFuzzer harness: citizen ID numbers (GB 11643) and unified social credit codes
// (GB 32100) as applicants type them, with the masking used in logs and pages.
// Contract: each check is a normalised value or an invalid_input error; a value accepted
// once is accepted again unchanged; check characters and masks never read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/identity/citizen_id.h"
#include "core/identity/credit_code.h"
#include "core/identity/masking.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = shenpi::core;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  for (auto check : {core::CheckDigit::must_match, core::CheckDigit::may_fail}) {
    auto id = core::validate_citizen_id(in, "2026-06-30", check);
    if (id) {
      auto again = core::validate_citizen_id(*id, "2026-06-30", check);
      if (!again || *again != *id) __builtin_trap();
      if (!core::citizen_id_birth_date(*id) || !core::citizen_id_sex(*id)) __builtin_trap();
    } else if (id.error().kind != shenpi::ErrorKind::invalid_input) {
      __builtin_trap();
    }
    auto code = core::validate_credit_code(in, check);
    if (code) {
      auto again = core::validate_credit_code(*code, check);
      if (!again || *again != *code) __builtin_trap();
    } else if (code.error().kind != shenpi::ErrorKind::invalid_input) {
      __builtin_trap();
    }
  }
  (void)core::validate_credit_code(in, "credit_code", {.verify_organisation_code = false});
  (void)core::validate_citizen_id(in, "");
  (void)core::citizen_id_check_char(in);
  (void)core::citizen_id_birth_date(in);
  (void)core::citizen_id_sex(in);
  (void)core::credit_code_check_char(in);
  (void)core::organisation_code_check_char(in);
  (void)core::mask_citizen_id(in);
  (void)core::mask_credit_code(in);
  (void)core::mask_phone(in);
  (void)core::mask_name(in);
  if (size >= 2) (void)core::mask_middle(in.substr(2), data[0] % 24, data[1] % 24);
  return 0;
}
