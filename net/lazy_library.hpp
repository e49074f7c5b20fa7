#pragma once
// Shared libraries opened on first use (dlopen), not when galley starts: linked normally, libcurl,
// libgit2, libarchive and their ~40 dependencies cost every command ~8 ms of dynamic loading, though
// only the commands that reach the network or deliver use them. Call sites name a function as
// LAZY_CURL(curl_x)(args...) (or a macro of their own over GALLEY_LAZY), with the library's own header
// giving the type, so a wrong signature fails to compile as with direct calls.
#include <string>

namespace galley::net::lazy {

// The function `name` of the library `soname`, opened once (RTLD_NOW | RTLD_LOCAL). Throws
// core::Error(io) naming the library, the Debian package that provides it, and dlerror().
void* symbol(const char* soname, const char* package, const char* name);

}  // namespace galley::net::lazy

// The function `fn` of `soname`, typed as the library's header declares it; looked up once.
// SONAMEs come from the build (galley_soname in net/CMakeLists.txt), from the libraries it found.
#define GALLEY_LAZY(soname, package, fn)                                                        \
  ([]() {                                                                                       \
    static const auto galley_lazy_fn = reinterpret_cast<decltype(&::fn)>(                       \
        ::galley::net::lazy::symbol(soname, package, #fn));                                     \
    return galley_lazy_fn;                                                                      \
  }())
