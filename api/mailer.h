// Delivers the outbox's queued e-mail (catalog/outbox.h) through SMTP (net/smtp.h) on a thread
// of its own, so no request ever waits on a mail server: an action that queues mail only calls
// wake(). Each row is tried until sent or mail_max_attempts failed tries, waiting
// retry_seconds after the first failure and twice as long after each next one; every failure is
// recorded on its row with the reason, secrets redacted (catalog/redact.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "catalog/background_loop.h"
#include "catalog/outbox.h"
#include "catalog/store.h"
#include "net/smtp.h"

namespace datamap::api {

struct MailerSettings {
  net::SmtpSettings smtp;
  std::string from;
  std::string base_url;  // put before a notification's portal path; "" leaves the path alone
  std::int64_t max_attempts = 5;
  std::int64_t retry_seconds = 60;
  std::int64_t poll_seconds = 30;  // looks for due retries at least this often
};

class Mailer {
 public:
  Mailer(catalog::Outbox& outbox, catalog::Store& store, MailerSettings settings);
  ~Mailer();  // stop()
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  void start();
  void stop();  // finishes the message being sent, then joins
  void wake();  // new mail is queued: look now

  // One pass over what is due at `now` (Unix seconds); returns how many rows were tried.
  int deliver_due(std::int64_t now);

 private:
  std::chrono::milliseconds pass();  // what the loop runs; returns the wait until the next
  void deliver(const catalog::OutgoingMail& mail, std::int64_t now);

  catalog::Outbox& outbox_;
  catalog::Store& store_;
  MailerSettings settings_;
  catalog::BackgroundLoop loop_;  // last: its thread stops before the members above go
};

}  // namespace datamap::api
