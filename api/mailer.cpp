#include "api/mailer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "catalog/redact.h"

namespace datamap::api {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Mailer::Mailer(catalog::Outbox& outbox, catalog::Store& store, MailerSettings settings)
    : outbox_(outbox),
      store_(store),
      settings_(std::move(settings)),
      loop_([this] { return pass(); }) {}

Mailer::~Mailer() {
  stop();
}

// Rows queued before a restart are due at once: the loop's first pass runs at start.
void Mailer::start() {
  loop_.start();
}

void Mailer::stop() {
  loop_.stop();
}

void Mailer::wake() {
  loop_.wake();
}

std::chrono::milliseconds Mailer::pass() {
  std::int64_t wait_seconds = settings_.poll_seconds;
  try {
    // A full batch means more may be due: go on until a pass finds less.
    while (deliver_due(unix_now()) == 50) {
      if (loop_.stopping()) return std::chrono::milliseconds(0);
    }
    if (auto next = outbox_.next_due())
      wait_seconds = std::clamp<std::int64_t>(*next - unix_now(), 1, settings_.poll_seconds);
  } catch (const std::exception& e) {  // the catalog is busy or gone: try at the next wake
    spdlog::warn("mailer: {}", e.what());
  }
  return std::chrono::seconds(wait_seconds);
}

int Mailer::deliver_due(std::int64_t now) {
  auto due = outbox_.due_mail(now, 50);
  for (const auto& mail : due) deliver(mail, now);
  return static_cast<int>(due.size());
}

void Mailer::deliver(const catalog::OutgoingMail& mail, std::int64_t now) {
  std::string error;
  try {
    auto user = store_.user(mail.user_id);
    if (!user || user->email.empty()) {
      // The address was removed since the row was queued: nothing to retry.
      outbox_.mail_failed(mail.id, "the user has no e-mail address", std::nullopt);
      return;
    }
    net::MailMessage m;
    m.from = settings_.from;
    m.to = user->email;
    m.subject = mail.subject;
    // The subject again as the first line: some readers show only the body's start.
    m.body = mail.subject + "\n\n" + mail.body + "\n\n" + settings_.base_url + mail.link + "\n";
    m.message_id = mail.id + "@datamap";
    net::send_mail(settings_.smtp, m);
    outbox_.mail_sent(mail.id);
    return;
  } catch (const std::exception& e) {
    error = catalog::redact_secrets(e.what());
  }
  const std::int64_t attempts = mail.attempts + 1;
  std::optional<std::int64_t> next;
  if (attempts < settings_.max_attempts) {
    const std::int64_t doublings = std::min<std::int64_t>(attempts - 1, 20);
    next = now + settings_.retry_seconds * (std::int64_t{1} << doublings);
  }
  spdlog::warn("mailer: notification {} not sent (attempt {}): {}", mail.id, attempts, error);
  outbox_.mail_failed(mail.id, error, next);
}

}  // namespace datamap::api
