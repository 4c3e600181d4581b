#include "core/cases/case.h"

#include <array>

namespace shenpi::core {
namespace {

// One table per enum: value, ASCII name (API, JSON, database), Chinese label (pages,
// notices). The names are stored in case documents and rows: never rename one.
template <typename E>
struct Entry {
  E value;
  std::string_view name;
  std::string_view label;
};

constexpr std::array<Entry<CaseState>, 11> kCaseStates{{
    {CaseState::draft, "draft", "草稿"},
    {CaseState::submitted, "submitted", "已提交"},
    {CaseState::correction_requested, "correction_requested", "待补正"},
    {CaseState::accepted, "accepted", "已受理"},
    {CaseState::not_accepted, "not_accepted", "不予受理"},
    {CaseState::in_review, "in_review", "审查中"},
    {CaseState::suspended, "suspended", "特别程序"},
    {CaseState::approved, "approved", "准予许可"},
    {CaseState::refused, "refused", "不予许可"},
    {CaseState::withdrawn, "withdrawn", "已撤回"},
    {CaseState::delivered, "delivered", "已办结"},
}};

constexpr std::array<Entry<CaseAction>, 15> kCaseActions{{
    {CaseAction::submit, "submit", "提交"},
    {CaseAction::accept, "accept", "受理"},
    {CaseAction::request_correction, "request_correction", "补正告知"},
    {CaseAction::refuse_acceptance, "refuse_acceptance", "不予受理"},
    {CaseAction::submit_correction, "submit_correction", "提交补正材料"},
    {CaseAction::claim, "claim", "签收"},
    {CaseAction::review_opinion, "review_opinion", "审查意见"},
    {CaseAction::return_to_review, "return_to_review", "退回"},
    {CaseAction::approve, "approve", "准予"},
    {CaseAction::refuse, "refuse", "不予"},
    {CaseAction::suspend, "suspend", "暂停计时(特别程序)"},
    {CaseAction::resume, "resume", "恢复计时"},
    {CaseAction::extend, "extend", "延期"},
    {CaseAction::withdraw, "withdraw", "撤回"},
    {CaseAction::deliver, "deliver", "办结送达"},
}};

constexpr std::array<Entry<PartState>, 8> kPartStates{{
    {PartState::pending, "pending", "待受理"},
    {PartState::review, "review", "审查"},
    {PartState::recheck, "recheck", "复核"},
    {PartState::decision, "decision", "审批"},
    {PartState::suspended, "suspended", "特别程序"},
    {PartState::approved, "approved", "准予"},
    {PartState::refused, "refused", "不予"},
    {PartState::closed, "closed", "已终止"},
}};

constexpr std::array<Entry<TaskStage>, 5> kTaskStages{{
    {TaskStage::acceptance, "acceptance", "受理"},
    {TaskStage::review, "review", "审查"},
    {TaskStage::recheck, "recheck", "复核"},
    {TaskStage::decision, "decision", "审批"},
    {TaskStage::delivery, "delivery", "送达"},
}};

constexpr std::array<Entry<TaskState>, 3> kTaskStates{{
    {TaskState::open, "open", "待办"},
    {TaskState::done, "done", "已办"},
    {TaskState::cancelled, "cancelled", "已取消"},
}};

constexpr std::array<Entry<Channel>, 2> kChannels{{
    {Channel::online, "online", "网上申报"},
    {Channel::window, "window", "窗口受理"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<Entry<E>, N>& table, E value) {
  for (const auto& e : table) {
    if (e.value == value) return e.name;
  }
  return "";
}

template <typename E, std::size_t N>
std::string_view label_of(const std::array<Entry<E>, N>& table, E value) {
  for (const auto& e : table) {
    if (e.value == value) return e.label;
  }
  return "";
}

template <typename E, std::size_t N>
std::optional<E> parse_of(const std::array<Entry<E>, N>& table, std::string_view name) {
  for (const auto& e : table) {
    if (e.name == name) return e.value;
  }
  return std::nullopt;
}

}  // namespace

const CasePart* Case::part_for_item(std::string_view item_code) const {
  for (const CasePart& p : parts) {
    if (p.item_code == item_code) return &p;
  }
  return nullptr;
}

std::string_view to_string(CaseState v) { return name_of(kCaseStates, v); }
std::string_view to_string(CaseAction v) { return name_of(kCaseActions, v); }
std::string_view to_string(PartState v) { return name_of(kPartStates, v); }
std::string_view to_string(TaskStage v) { return name_of(kTaskStages, v); }
std::string_view to_string(TaskState v) { return name_of(kTaskStates, v); }
std::string_view to_string(Channel v) { return name_of(kChannels, v); }

std::string_view label(CaseState v) { return label_of(kCaseStates, v); }
std::string_view label(CaseAction v) { return label_of(kCaseActions, v); }
std::string_view label(PartState v) { return label_of(kPartStates, v); }
std::string_view label(TaskStage v) { return label_of(kTaskStages, v); }

std::optional<CaseState> parse_case_state(std::string_view s) { return parse_of(kCaseStates, s); }
std::optional<CaseAction> parse_case_action(std::string_view s) {
  return parse_of(kCaseActions, s);
}
std::optional<PartState> parse_part_state(std::string_view s) { return parse_of(kPartStates, s); }
std::optional<TaskStage> parse_task_stage(std::string_view s) { return parse_of(kTaskStages, s); }
std::optional<TaskState> parse_task_state(std::string_view s) { return parse_of(kTaskStates, s); }
std::optional<Channel> parse_channel(std::string_view s) { return parse_of(kChannels, s); }

bool is_decided_or_closed(CaseState s) {
  switch (s) {
    case CaseState::not_accepted:
    case CaseState::approved:
    case CaseState::refused:
    case CaseState::withdrawn:
    case CaseState::delivered:
      return true;
    case CaseState::draft:
    case CaseState::submitted:
    case CaseState::correction_requested:
    case CaseState::accepted:
    case CaseState::in_review:
    case CaseState::suspended:
      return false;
  }
  return false;
}

}  // namespace shenpi::core
