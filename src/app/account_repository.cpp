#include "app/account_repository.h"

namespace shenpi::app {

std::string_view to_string(AccountKind kind) {
  switch (kind) {
    case AccountKind::person:
      return "person";
    case AccountKind::organisation:
      return "organisation";
    case AccountKind::staff:
      return "staff";
  }
  return "person";
}

std::optional<AccountKind> parse_account_kind(std::string_view text) {
  if (text == "person") return AccountKind::person;
  if (text == "organisation") return AccountKind::organisation;
  if (text == "staff") return AccountKind::staff;
  return std::nullopt;
}

}  // namespace shenpi::app
