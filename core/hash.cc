#include "core/hash.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>

#include "core/file_util.h"

namespace dossier {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

std::string ToHex(const unsigned char* digest, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::span<const std::uint8_t> bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(),
             nullptr);
  return ToHex(digest, length);
}

std::string Sha256Hex(std::string_view bytes) {
  return Sha256Hex(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

Result<std::string> Sha256File(const std::filesystem::path& path) {
  // A FIFO or a device (/dev/zero) would be read forever.
  if (auto size = RegularFileSize(path); !size) return std::unexpected(size.error());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIo,
                     path.string() + ": cannot open for reading");
  }
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buffer;
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) {
      EVP_DigestUpdate(ctx.get(), buffer.data(),
                       static_cast<size_t>(in.gcount()));
    }
  }
  if (in.bad()) {
    return MakeError(ErrorCode::kIo, path.string() + ": read error");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return ToHex(digest, length);
}

}  // namespace dossier
