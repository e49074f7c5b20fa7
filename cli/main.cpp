#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <streambuf>
#include <string>

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

namespace {

// The columns of the terminal on stdout: COLUMNS when it is a positive number, else what the
// terminal says; 0 when stdout is not a terminal or its width is unknown (nothing is cut).
int terminal_width() {
  if (isatty(STDOUT_FILENO) == 0) {
    return 0;
  }
  const char* columns = std::getenv("COLUMNS");
  if (columns != nullptr && *columns != '\0') {
    char* end = nullptr;
    long n = std::strtol(columns, &end, 10);
    if (*end == '\0' && n > 0 && n < 10000) {
      return static_cast<int>(n);
    }
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  RedactingBuffer redacting(std::cerr.rdbuf());
  std::ostream err(&redacting);
  galley::cli::Io io{std::cout, err, isatty(STDERR_FILENO) != 0, isatty(STDOUT_FILENO) != 0, terminal_width()};
  int rc = galley::cli::run(std::vector<std::string>(argv + 1, argv + argc), io);
  err.flush();
  return rc;
}
