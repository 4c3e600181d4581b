#pragma once
// The written documents of a case as PDF (结果反馈): 受理通知书, 补正材料通知书,
// 不予受理决定书, 准予/不予行政许可决定书, 特别程序告知书, 延长审批期限告知书 and the
// receipt for materials. A4, Simplified Chinese, in the customary layout of an official
// document: the issuing department in red above a red rule, the title, the 文号, the
// addressee, the body in legal Chinese for the kind (law Art. 32, 38, 42, 44, 45), the
// department and date under a red electronic seal, and at the foot the verification code
// with a QR code of the verification address.
#include <string>
#include <string_view>

#include "core/documents/document.h"
#include "core/result.h"

namespace shenpi::docs {

//! Where a refusal sends the applicant when the content names no body: the city
//! government (行政复议法 2023, Art. 24) and the competent court.
inline constexpr std::string_view kDefaultReconsiderationBody = "潮州市人民政府";
inline constexpr std::string_view kDefaultCourt = "有管辖权的人民法院";

//! Renders `content` with `verify_code` and a QR code of `verify_url`. What each kind says:
//!  - receipt: what was received and when, the 5-working-day acceptance rule;
//!  - acceptance_notice: accepted on accepted_on, decision due by due_on (Art. 32, 45);
//!  - non_acceptance_decision: the reasons, where to apply instead (where_to_apply), the
//!    rights to 行政复议 within 60 days and 行政诉讼 within 6 months;
//!  - correction_notice: every material listed once (一次告知) and the reply deadline;
//!  - approval_decision: approved (Art. 38), result_name issued within 10 days (Art. 44);
//!  - refusal_decision: the reasons (Art. 38), 行政复议 within 60 days to
//!    reconsideration_body, 行政诉讼 within 6 months at court (defaults above);
//!  - suspension_notice: the procedure, why, how many working days, not counted (Art. 45);
//!  - extension_notice: why, approved by the head, days added and the new due date (Art. 42).
//! Pure: the same input gives the same bytes. Blocks while rendering (serialised with the
//! other renderers): call from a worker thread. Fails only with ErrorKind::internal when
//! cairo cannot produce the document or the URL is too long for a QR code.
Result<std::string> render_case_document(const core::DocumentContent& content,
                                         std::string_view verify_code, std::string_view verify_url);

}  // namespace shenpi::docs
