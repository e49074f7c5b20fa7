#include <iostream>
#include <streambuf>
#include <string>
#include <unistd.h>

#include "cli/command.hpp"
#include "core/text.hpp"

namespace {

// Standard error, line by line through core::redact_secrets: whatever a library or a command
// writes there (errors, warnings, logs at any level), no URL password or private key reaches it.
class RedactingBuffer : public std::streambuf {
 public:
  explicit RedactingBuffer(std::streambuf* target) : m_target(target) {}
  ~RedactingBuffer() override { flush_line(); }
  RedactingBuffer(const RedactingBuffer&) = delete;
  RedactingBuffer& operator=(const RedactingBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      return traits_type::not_eof(c);
    }
    m_line.push_back(traits_type::to_char_type(c));
    if (m_line.back() == '\n') {
      flush_line();
    }
    return c;
  }
  int sync() override {
    flush_line();
    return m_target->pubsync();
  }

 private:
  void flush_line() {
    if (!m_line.empty()) {
      std::string clean = galley::core::redact_secrets(m_line);
      m_target->sputn(clean.data(), static_cast<std::streamsize>(clean.size()));
      m_line.clear();
    }
  }
  std::streambuf* m_target;
  std::string m_line;
};

}  // namespace

int main(int argc, char** argv) {
  RedactingBuffer redacting(std::cerr.rdbuf());
  std::ostream err(&redacting);
  galley::cli::Io io{std::cout, err, isatty(STDERR_FILENO) != 0};
  int rc = galley::cli::run(std::vector<std::string>(argv + 1, argv + argc), io);
  err.flush();
  return rc;
}
