#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>

#include "catalog/text.h"

namespace datamap::testing {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.pop_back();
    (*headers)[name] = value;
  }
  return size * n;
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

std::mutex record_mutex;
std::set<std::string>& datamap_servers() {
  static std::set<std::string> servers;
  return servers;
}

// Bodies above this are recorded without their text (counted by the checker, not validated).
constexpr std::size_t kMaxRecordedBody = 4 * 1024 * 1024;

void record_exchange(const std::string& base_url, const std::string& method,
                     const std::string& path, const HttpReply& reply) {
  const char* dir = std::getenv("DATAMAP_HTTP_RECORD_DIR");
  if (!dir || !*dir) return;
  {
    std::lock_guard lock(record_mutex);
    if (!datamap_servers().count(base_url)) return;
  }
  rapidjson::StringBuffer line;
  rapidjson::Writer<rapidjson::StringBuffer> w(line);
  auto str = [&w](const std::string& s) {
    w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("method");
  str(method);
  w.Key("path");
  str(catalog::is_valid_utf8(path) ? path : std::string("(not UTF-8)"));
  w.Key("status");
  w.Int64(reply.status);
  w.Key("content_type");
  str(reply.header("content-type"));
  w.Key("body");
  if (reply.body.size() <= kMaxRecordedBody && catalog::is_valid_utf8(reply.body))
    str(reply.body);
  else
    w.Null();
  w.EndObject();
  std::string text(line.GetString(), line.GetSize());
  text.push_back('\n');
  std::string file = std::string(dir) + "/" + std::to_string(getpid()) + ".jsonl";
  std::lock_guard lock(record_mutex);
  mkdir(dir, 0755);
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  FdCloser closer{fd};
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void mark_datamap_server(const std::string& base_url) {
  std::lock_guard lock(record_mutex);
  datamap_servers().insert(base_url);
  // <pid>.servers lists the servers started: the checker tells "nothing recorded although servers
  // answered" (a failure) from "this run started no server" (nothing to check).
  const char* dir = std::getenv("DATAMAP_HTTP_RECORD_DIR");
  if (!dir || !*dir) return;
  mkdir(dir, 0755);
  std::string file = std::string(dir) + "/" + std::to_string(getpid()) + ".servers";
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  FdCloser closer{fd};
  std::string line = base_url + "\n";
  ssize_t ignored = write(fd, line.data(), line.size());
  (void)ignored;
}

std::string HttpReply::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

rapidjson::Document HttpReply::json() const {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  EXPECT_FALSE(doc.HasParseError()) << "response is not JSON (status " << status << "): "
                                    << body.substr(0, 500);
  return doc;
}

HttpClient::HttpClient(std::string base_url, long timeout_seconds)
    : base_url_(std::move(base_url)), timeout_seconds_(timeout_seconds) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  global_init();
}

HttpReply HttpClient::get(const std::string& path, const Headers& headers) const {
  return request("GET", path, "", headers);
}

HttpReply HttpClient::post(const std::string& path, const std::string& body,
                           const Headers& headers) const {
  return request("POST", path, body, headers);
}

HttpReply HttpClient::action(const std::string& action, const std::string& json_body,
                             const std::string& token) const {
  Headers headers;
  if (!token.empty()) headers["Authorization"] = token;
  return post("/api/3/action/" + action, json_body, headers);
}

HttpReply HttpClient::request(const std::string& method, const std::string& path,
                              const std::string& body, const Headers& headers) const {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  HttpReply reply;
  std::string url = base_url_ + path;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds_);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply.headers);

  curl_slist* raw_list = nullptr;
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "content-type") has_content_type = true;
    // "Name;" is curl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    raw_list = curl_slist_append(raw_list, line.c_str());
  }
  if (method != "GET" && method != "HEAD" && !has_content_type)
    raw_list = curl_slist_append(raw_list, "Content-Type: application/json");
  raw_list = curl_slist_append(raw_list, "Expect:");  // no 1 s wait for 100-continue
  std::unique_ptr<curl_slist, SlistDeleter> list(raw_list);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());

  if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);  // headers only: the body a GET would have is not sent
  } else {
    if (method == "POST") {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
    } else {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }

  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  // A server may answer (413) and close while curl is still sending: the answer counts.
  if (rc != CURLE_OK && reply.status == 0)
    throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(rc));
  record_exchange(base_url_, method, path, reply);
  return reply;
}

std::string raw_exchange(int port, const std::string& bytes, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  FdCloser closer{fd};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect failed");
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early; what it said is still read below
    sent += static_cast<std::size_t>(n);
  }
  std::string received;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, timeout_ms);
    if (ready <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  return received;
}

}  // namespace datamap::testing
