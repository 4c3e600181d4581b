#pragma once
// The words of a notification: the Chinese subject and body that an event's recipients
// read in their inbox (站内消息) and in email (邮件通知), composed from the event's topic
// and payload. Pure: no I/O, no clock.
//
// The payload of case topics is a JSON object {"number","item_name","state",
// "state_label","department_name","reason"}; every member may be missing or of another
// type, and a missing one is simply left out of the text. A payload that is not JSON
// still gives a readable generic notification.
//
// Personal data never goes into a notification: in the free-text members (item_name,
// state_label, department_name, reason) anything shaped like a citizen ID number
// (17 digits and a digit or X) or a mobile number (11 digits starting with 1) is masked
// before it is used.
#include <string>
#include <string_view>

#include "app/outbox.h"
#include "app/outbox_repository.h"

namespace shenpi::app {

//! The subject and body for `event`.
Notification notification_text(const OutboxEvent& event);

//! `text` with ID-number-shaped and mobile-shaped runs of digits masked (the first 3 and
//! the last 4 characters kept). Exposed for tests.
std::string redact_personal_numbers(std::string_view text);

}  // namespace shenpi::app
