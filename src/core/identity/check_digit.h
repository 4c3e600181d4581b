#pragma once
// Whether an identity check may let a wrong check digit through. Numbers issued before the
// check algorithms were enforced (legacy ID numbers, early credit codes) can carry a check
// character that does not match: staff who have seen the original document may register
// them with an audited reason. Everything else about the number is still checked.
namespace shenpi::core {

enum class CheckDigit {
  must_match,  //!< the check digit / check character must be right (everyone by default)
  may_fail,    //!< only the check digit / character may be wrong (a staff override)
};

}  // namespace shenpi::core
