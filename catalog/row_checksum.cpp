#include "catalog/row_checksum.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace datamap::catalog {

struct RowChecksum::Ctx {
  EVP_MD_CTX* md = nullptr;
  ~Ctx() { EVP_MD_CTX_free(md); }
};

RowChecksum::RowChecksum() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  if (!ctx_->md || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 is not available");
}

RowChecksum::~RowChecksum() = default;

void RowChecksum::feed(std::string_view bytes) {
  pending_ += bytes;
  if (pending_.size() >= (1 << 16)) {
    if (EVP_DigestUpdate(ctx_->md, pending_.data(), pending_.size()) != 1)
      throw std::runtime_error("SHA-256 update failed");
    pending_.clear();
  }
}

void RowChecksum::null() {
  feed("-");
}

void RowChecksum::value(std::string_view text) {
  feed("=");
  feed(std::to_string(text.size()));
  feed(":");
  feed(text);
}

void RowChecksum::value(char tag, std::string_view text) {
  feed("=");
  feed(std::to_string(text.size() + 1));
  feed(":");
  feed(std::string_view(&tag, 1));
  feed(text);
}

void RowChecksum::end_row() {
  feed("\n");
  ++rows_;
}

std::string RowChecksum::hex() {
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestUpdate(ctx_->md, pending_.data(), pending_.size()) != 1 ||
      EVP_DigestFinal_ex(ctx_->md, raw, &len) != 1)
    throw std::runtime_error("SHA-256 final failed");
  pending_.clear();
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kDigits[raw[i] >> 4];
    out += kDigits[raw[i] & 15];
  }
  return out;
}

}  // namespace datamap::catalog
