#pragma once
// libgit2, libcurl and libarchive are opened on first use (dlopen), not when galley starts: linked
// normally they and their ~40 dependencies cost every command ~8 ms of dynamic loading, though only
// push, pull and publish use them. Call sites name a function as LAZY_GIT(git_x)(args...), with the
// library's own header giving the type, so a wrong signature fails to compile as with direct calls.
#include <string>

namespace galley::deliver::lazy {

// The function `name` of the library `soname`, opened once (RTLD_NOW | RTLD_LOCAL). Throws
// core::Error(io) naming the library, the Debian package that provides it, and dlerror().
void* symbol(const char* soname, const char* package, const char* name);

}  // namespace galley::deliver::lazy

// SONAMEs and packages come from the build (deliver/CMakeLists.txt), from the libraries it found.
#define GALLEY_LAZY(soname, package, fn)                                                        \
  ([]() {                                                                                       \
    static const auto galley_lazy_fn = reinterpret_cast<decltype(&::fn)>(                                 \
        ::galley::deliver::lazy::symbol(soname, package, #fn));                                 \
    return galley_lazy_fn;                                                                      \
  }())
#define LAZY_GIT(fn) GALLEY_LAZY(GALLEY_LIBGIT2_SONAME, "libgit2-1.5", fn)
#define LAZY_CURL(fn) GALLEY_LAZY(GALLEY_LIBCURL_SONAME, "libcurl3-gnutls", fn)
#define LAZY_ARCHIVE(fn) GALLEY_LAZY(GALLEY_LIBARCHIVE_SONAME, "libarchive13", fn)
