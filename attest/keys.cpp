// Keys: generation, PEM in and out, key ids, signing and verifying (OpenSSL 3 EVP).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "attest/internal/encoding.hpp"
#include "attest/internal/keys.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace galley::attest {

struct KeyHandle {
  explicit KeyHandle(EVP_PKEY* k) : pkey(k) {}
  ~KeyHandle() { EVP_PKEY_free(pkey); }
  KeyHandle(const KeyHandle&) = delete;
  KeyHandle& operator=(const KeyHandle&) = delete;
  EVP_PKEY* pkey;
};

using core::Error;
using core::Exit;
using core::Where;

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

std::string openssl_reason() {
  unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (e == 0) {
    return "unknown OpenSSL error";
  }
  const char* r = ERR_reason_error_string(e);
  return r != nullptr ? r : "OpenSSL error " + std::to_string(e);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

// Only ECDSA on P-256 and Ed25519: the two the harness verifiers and sigstore-js accept.
bool supported(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) {
    return true;
  }
  if (!EVP_PKEY_is_a(pkey, "EC")) {
    return false;
  }
  char group[64] = {};
  size_t len = 0;
  return EVP_PKEY_get_utf8_string_param(pkey, "group", group, sizeof group, &len) == 1 &&
         std::string(group) == "prime256v1";
}

// Never prompts: an encrypted key without a passphrase fails instead of reading the terminal.
int passphrase_cb(char* buf, int size, int /*rwflag*/, void* u) {
  const auto* pass = static_cast<const std::string*>(u);
  if (pass->empty() || static_cast<int>(pass->size()) > size) {
    return -1;
  }
  std::memcpy(buf, pass->data(), pass->size());
  return static_cast<int>(pass->size());
}

// A finished temporary file beside `path` (mode, bytes, fsync), named .NAME.tmp-XXXXXX and locked
// (flock) while its descriptor, returned in `fd`, stays open.
std::string write_temp(const std::string& path, const std::string& bytes, mode_t mode, int& fd) {
  std::filesystem::path p(path);
  core::sweep_stale_temps(p.parent_path().empty() ? "." : p.parent_path().string(), "." + p.filename().string() + ".tmp-");
  std::string tmp = (p.parent_path() / ("." + p.filename().string() + ".tmp-XXXXXX")).string();
  fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot create: ") + std::strerror(errno));
  }
  bool ok = ::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::fchmod(fd, mode) == 0 &&
            ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
  if (!ok) {
    int saved = errno;
    ::unlink(tmp.c_str());
    ::close(fd);
    fd = -1;
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot write: ") + std::strerror(saved));
  }
  return tmp;
}

// Links the finished temporary `tmp` to `path` with O_EXCL semantics (an existing file is never
// replaced). Returns 0 or the errno.
int link_new(const std::string& tmp, const std::string& path) { return ::link(tmp.c_str(), path.c_str()) == 0 ? 0 : errno; }

// POSIX cannot make two names appear in one step, so a marker .NAME.keygen stands over the two
// links: created (holding the public key, locked with flock) before the first and removed after the
// second. A run that finds a marker nobody holds finishes what a killed run left: a NAME.pub equal
// to the marker's key without its NAME.key is taken away, then the marker. One that is held means
// another keygen is writing NAME now.
std::string marker_path(const std::string& name) {
  std::filesystem::path p(name);
  return (p.parent_path() / ("." + p.filename().string() + ".keygen")).string();
}

std::string read_small(const std::string& path) {
  std::string out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return out;
  }
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0 && out.size() < (64u << 10);) {
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

void recover_killed_keygen(const std::string& name) {
  std::string marker = marker_path(name);
  int fd = ::open(marker.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw Error(Exit::io, Where{name + ".key", 0, ""}, "another keygen is writing this key pair now");
  }
  std::string pub = name + ".pub";
  struct stat st {};
  if (::lstat((name + ".key").c_str(), &st) != 0 && ::lstat(pub.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      read_small(pub) == read_small(marker)) {
    ::unlink(pub.c_str());
  }
  ::unlink(marker.c_str());
  ::close(fd);
}

// The marker of a run that is writing NAME: created new, locked, holding the public key.
int make_marker(const std::string& name, const std::string& public_pem) {
  std::string marker = marker_path(name);
  int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    int saved = errno;
    throw Error(Exit::io, Where{name + ".key", 0, ""},
                saved == EEXIST ? "another keygen is writing this key pair now" : std::string("cannot write: ") + std::strerror(saved));
  }
  bool ok = ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            ::write(fd, public_pem.data(), public_pem.size()) == static_cast<ssize_t>(public_pem.size()) && ::fsync(fd) == 0;
  if (!ok) {
    int saved = errno;
    ::unlink(marker.c_str());
    ::close(fd);
    throw Error(Exit::io, Where{name + ".key", 0, ""}, std::string("cannot write: ") + std::strerror(saved));
  }
  return fd;
}

}  // namespace

KeyPair generate_key(KeyType type, const std::string& passphrase) {
  EVP_PKEY* raw = type == KeyType::ed25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (raw == nullptr) {
    throw Error(Exit::io, "cannot generate a key: " + openssl_reason());
  }
  KeyHandle key(raw);
  Bio priv(BIO_new(BIO_s_mem()));
  Bio pub(BIO_new(BIO_s_mem()));
  auto* pass = reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.data()));
  int ok = passphrase.empty()
               ? PEM_write_bio_PrivateKey(priv.get(), key.pkey, nullptr, nullptr, 0, nullptr, nullptr)
               : PEM_write_bio_PrivateKey(priv.get(), key.pkey, EVP_aes_256_cbc(), pass,
                                          static_cast<int>(passphrase.size()), nullptr, nullptr);
  if (ok != 1 || PEM_write_bio_PUBKEY(pub.get(), key.pkey) != 1) {
    throw Error(Exit::io, "cannot write the key as PEM: " + openssl_reason());
  }
  return KeyPair{bio_text(priv.get()), bio_text(pub.get())};
}

void write_key_pair(const KeyPair& keys, const std::string& name) {
  std::filesystem::path base(name);
  std::error_code ec;
  if (name.empty() || name.back() == '/' || base.filename() == "." || base.filename() == ".." ||
      std::filesystem::is_directory(base, ec)) {
    throw Error(Exit::bad_input, core::OptionField{"out"},
                "\"" + name + "\" names no key file; give a path prefix such as release (release.key, release.pub)");
  }
  std::string priv = name + ".key";
  std::string pub = name + ".pub";
  recover_killed_keygen(name);
  for (const auto& path : {priv, pub}) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      throw Error(Exit::bad_input, Where{path, 0, ""}, "already exists; refusing to overwrite a key");
    }
  }
  // Both files are written whole first; then two links in a row put them in place, and a failure
  // of the second takes the first away again: the pair appears together or not at all. A kill
  // between the two links (microseconds) leaves the marker, and the next keygen of NAME rolls back.
  int priv_fd = -1;
  int pub_fd = -1;
  std::string priv_tmp = write_temp(priv, keys.private_pem, 0600, priv_fd);
  std::string pub_tmp;
  int marker_fd = -1;
  try {
    pub_tmp = write_temp(pub, keys.public_pem, 0644, pub_fd);
    marker_fd = make_marker(name, keys.public_pem);
  } catch (...) {
    ::unlink(priv_tmp.c_str());
    ::close(priv_fd);
    if (!pub_tmp.empty()) {
      ::unlink(pub_tmp.c_str());
      ::close(pub_fd);
    }
    throw;
  }
  int failed = link_new(pub_tmp, pub);
  std::string failed_path = pub;
  if (failed == 0) {
    failed = link_new(priv_tmp, priv);
    failed_path = priv;
    if (failed != 0) {
      ::unlink(pub.c_str());
    }
  }
  ::unlink(priv_tmp.c_str());
  ::unlink(pub_tmp.c_str());
  ::unlink(marker_path(name).c_str());
  ::close(marker_fd);
  ::close(priv_fd);
  ::close(pub_fd);
  if (failed != 0) {
    throw Error(failed == EEXIST ? Exit::bad_input : Exit::io, Where{failed_path, 0, ""},
                failed == EEXIST ? "already exists; refusing to overwrite a key"
                                 : std::string("cannot write: ") + std::strerror(failed));
  }
}

std::string passphrase_from_env(const std::string& var) {
  if (var.empty()) {
    return "";
  }
  const char* value = std::getenv(var.c_str());
  if (value == nullptr || *value == '\0') {
    throw Error(Exit::bad_input, core::OptionField{"passphrase-env"}, "environment variable " + var + " is unset or empty");
  }
  return value;
}

std::shared_ptr<const KeyHandle> load_public_key(const std::string& pem, const std::string& name) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (raw == nullptr) {
    throw Error(Exit::bad_input, Where{name, 0, ""}, "not a PEM public key (SubjectPublicKeyInfo)");
  }
  auto key = std::make_shared<const KeyHandle>(raw);
  if (!supported(raw)) {
    throw Error(Exit::bad_input, Where{name, 0, ""}, "not an ECDSA P-256 or Ed25519 public key");
  }
  return key;
}

std::string key_id(const KeyHandle& key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key.pkey, &der);
  if (n <= 0) {
    throw Error(Exit::io, "cannot encode the public key: " + openssl_reason());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(der, static_cast<size_t>(n), md, &md_len, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(md), md_len));
}

std::string key_id(const std::string& public_pem) { return key_id(*load_public_key(public_pem, "public key")); }

std::string key_type_name(const KeyHandle& key) { return EVP_PKEY_is_a(key.pkey, "ED25519") ? "Ed25519" : "ECDSA P-256"; }

SigningKey SigningKey::load(const std::string& path, const std::string& passphrase) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error(Exit::bad_input, Where{path, 0, ""},
                std::string("private key is accessible to group or others (mode ") + mode + "); run chmod 600 on it");
  }
  std::string pem = core::read_file(path, 1u << 20);
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::string pass = passphrase;
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_cb, &pass);
  if (raw == nullptr) {
    bool encrypted = pem.find("ENCRYPTED") != std::string::npos;
    ERR_clear_error();
    throw Error(Exit::bad_input, Where{path, 0, ""},
                encrypted ? (passphrase.empty() ? "the private key is encrypted and no passphrase was given"
                                                : "cannot decrypt the private key: wrong passphrase?")
                          : "not a PEM private key");
  }
  SigningKey out;
  out.m_key = std::make_shared<const KeyHandle>(raw);
  if (!supported(raw)) {
    throw Error(Exit::bad_input, Where{path, 0, ""}, "not an ECDSA P-256 or Ed25519 private key");
  }
  out.m_id = key_id(*out.m_key);
  return out;
}

std::string sign_bytes(const KeyHandle& key, std::string_view message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = EVP_PKEY_is_a(key.pkey, "ED25519") ? nullptr : EVP_sha256();
  size_t len = 0;
  std::string sig;
  auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  bool ok = EVP_DigestSignInit(ctx, nullptr, md, nullptr, key.pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, msg, message.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, msg, message.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) {
    throw Error(Exit::io, "cannot sign: " + openssl_reason());
  }
  return sig;
}

bool verify_bytes(const KeyHandle& key, std::string_view message, std::string_view signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const EVP_MD* md = EVP_PKEY_is_a(key.pkey, "ED25519") ? nullptr : EVP_sha256();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key.pkey) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

}  // namespace galley::attest
