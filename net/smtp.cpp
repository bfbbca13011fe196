#include "net/smtp.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "net/curl_handles.h"

namespace datamap::net {
namespace {

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// An address goes into a header and into the SMTP envelope (MAIL FROM, RCPT TO): a line break
// or an angle bracket there would let a stored address inject commands or recipients.
const std::string& checked_address(const std::string& address) {
  const bool bad = address.empty() || address.size() > 254 ||
                   address.find('@') == std::string::npos ||
                   std::any_of(address.begin(), address.end(), [](char c) {
                     auto u = static_cast<unsigned char>(c);
                     return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == ',' || c == ';';
                   });
  if (bad) throw std::runtime_error("not a mailable address");
  return address;
}

// RFC 2047 encoded words of at most 45 bytes of text each (75 characters encoded), cut between
// UTF-8 characters, folded onto continuation lines.
std::string encoded_words(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() || out.empty()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    if (end == i) break;
    i = end;
  }
  return out;
}

// No line break survives into a header, whatever the subject holds.
std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return text;
}

struct Reader {
  const std::string* text;
  std::size_t at = 0;
};

size_t read_message(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  std::size_t n = std::min(size * count, r->text->size() - r->at);
  std::memcpy(buffer, r->text->data() + r->at, n);
  r->at += n;
  return n;
}

}  // namespace

std::string compose_mail(const MailMessage& m, std::time_t date) {
  char when[64];
  std::tm tm{};
  gmtime_r(&date, &tm);
  std::strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string out;
  out += "From: " + checked_address(m.from) + "\r\n";
  out += "To: " + checked_address(m.to) + "\r\n";
  out += "Subject: " + encoded_words(one_line(m.subject)) + "\r\n";
  out += std::string("Date: ") + when + "\r\n";
  out += "Message-ID: <" + one_line(m.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string body = base64(m.body);
  for (std::size_t i = 0; i < body.size(); i += 76) out += body.substr(i, 76) + "\r\n";
  return out;
}

void send_mail(const SmtpSettings& settings, const MailMessage& m) {
  const std::string text = compose_mail(m, std::time(nullptr));
  CurlEasy easy = make_easy();
  CURL* e = easy.get();
  CurlHeaders recipients;  // an slist of "<address>"
  recipients.append("<" + m.to + ">");
  const std::string from = "<" + m.from + ">";
  Reader reader{&text};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(e, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  // STARTTLS whenever the server offers it; smtps:// is TLS from the first byte.
  curl_easy_setopt(e, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(e, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(e, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(e, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(e, CURLOPT_READDATA, &reader);
  curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, settings.connect_timeout_seconds);
  curl_easy_setopt(e, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(e);
  if (rc != CURLE_OK)
    throw std::runtime_error(error[0] ? std::string(error) : std::string(curl_easy_strerror(rc)));
}

}  // namespace datamap::net
