#include "fixtures.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/files.hpp"
#include "render/render.hpp"
#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

namespace galley::attest_test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "galley-attest-XXXXXX").string();
  path = ::mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::string TempDir::operator/(const std::string& name) const { return (fs::path(path) / name).string(); }

void write(const std::string& path, const std::string& bytes, mode_t mode) {
  std::ofstream(path, std::ios::binary) << bytes;
  ::chmod(path.c_str(), mode);
}

std::string read(const std::string& path) { return core::read_file(path); }

const bundle::Bundle& rendered() {
  static const bundle::Bundle b = [] {
    static auto catalog = resolver::load_catalog({resolver::embedded_source()});
    resolver::Criteria c;
    c.fields = {{"service", "eks"}, {"accelerator", "h100"}, {"os", "ubuntu"}, {"intent", "training"}, {"kubernetes", "1.34"}};
    return render::render(resolver::resolve(*catalog, c, resolver::ResolveOptions{true}), render::Options{});
  }();
  return b;
}

Keys::Keys(const TempDir& dir, attest::KeyType type, const std::string& name) {
  attest::KeyPair pair = attest::generate_key(type, "");
  attest::write_key_pair(pair, dir / name);
  public_pem = pair.public_pem;
  key = attest::SigningKey::load(dir / (name + ".key"), "");
}

core::Exit exit_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.exit();
  }
  return core::Exit::ok;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.what();
  }
  return "";
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines) {
    if (l.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string signed_folder(const TempDir& dir, const attest::SigningKey& key, const std::string& name) {
  bundle::Bundle b = rendered();
  b.files[bundle::k_attestation_file] = bundle::File{attest::sign_bundle(b, key, attest::SignOptions{}), false};
  std::string out = dir / name;
  render::write_bundle(b, out, render::Overwrite::no);
  return out;
}

}  // namespace galley::attest_test
