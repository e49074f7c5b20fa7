#include "net/lazy_library.hpp"

#include <dlfcn.h>

#include <map>
#include <mutex>

#include "core/error.hpp"

namespace galley::net::lazy {

void* symbol(const char* soname, const char* package, const char* name) {
  static std::mutex mutex;
  static std::map<std::string, void*> handles;
  std::lock_guard<std::mutex> lock(mutex);
  void*& handle = handles[soname];
  if (handle == nullptr) {
    handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      throw core::Error(core::Exit::io, std::string("cannot load ") + soname + " (Debian package " + package +
                                            "): " + (why != nullptr ? why : "unknown error"));
    }
  }
  ::dlerror();
  void* fn = ::dlsym(handle, name);
  if (fn == nullptr) {
    const char* why = ::dlerror();
    throw core::Error(core::Exit::io, std::string(soname) + " has no function " + name + ": " +
                                          (why != nullptr ? why : "unknown error"));
  }
  return fn;
}

}  // namespace galley::net::lazy
