// One e-mail sent through an SMTP server by libcurl (smtp:// with STARTTLS when the server
// offers it, smtps:// for TLS from the start; a user and password in the URL are used for AUTH).
// The message is plain UTF-8 text: headers in RFC 2047 encoded words, the body in base64, so any
// server relays it whether or not it speaks 8BITMIME. Blocking: call it off a request's thread.
#pragma once

#include <ctime>
#include <string>

namespace datamap::net {

struct MailMessage {
  std::string from;  // an address, e.g. "datamap@example.kr"
  std::string to;    // one address
  std::string subject;
  std::string body;        // plain text
  std::string message_id;  // without the angle brackets; unique per message
};

struct SmtpSettings {
  std::string url;  // "smtp://host:port", "smtps://user:password@host"
  long connect_timeout_seconds = 10;
  long timeout_seconds = 30;
};

// The message as sent (RFC 5322), dated `date`.
std::string compose_mail(const MailMessage& m, std::time_t date);

// Sends `m`; throws std::runtime_error with libcurl's reason when the server cannot be reached
// or refuses it. The reason may quote the URL: redact it before keeping it.
void send_mail(const SmtpSettings& settings, const MailMessage& m);

}  // namespace datamap::net
