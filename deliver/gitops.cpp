// galley publish: the bundle as one commit in a GitOps repository, with libgit2.
//
// No working tree: a bare repository in a temporary folder fetches the one branch, the new tree is
// built in an in-memory index (the base tree with exactly PATH replaced), committed, and pushed.
// A rejected push (the branch moved meanwhile) is retried once on the new tip, then refused.
#include <git2.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>

#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/names.hpp"
#include "deliver/internal/walk.hpp"
#include "net/lazy_library.hpp"

// GALLEY_LIBGIT2_SONAME comes from deliver/CMakeLists.txt.
#define LAZY_GIT(fn) GALLEY_LAZY(GALLEY_LIBGIT2_SONAME, "libgit2-1.5", fn)

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

std::string normalize_repo_path(const std::string& path) {
  auto bad = [&](const std::string& why) {
    return Error(Exit::bad_input, core::OptionField{"path"}, "\"" + path + "\" " + why);
  };
  if (path.empty()) {
    throw bad("is empty; give . for the repository root");
  }
  if (path.front() == '/') {
    throw bad("is absolute; give a folder inside the repository");
  }
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) {
    throw bad("has a backslash or NUL");
  }
  std::string out;
  size_t start = 0;
  for (;;) {
    size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      throw bad("leaves the repository ('..')");
    }
    if (core::to_lower(part) == ".git") {
      throw bad("names git's own folder");
    }
    if (!part.empty() && part != ".") {
      out += (out.empty() ? "" : "/") + part;
    }
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return out;  // "" = the root
}

namespace {

struct GitLib {
  GitLib() { LAZY_GIT(git_libgit2_init)(); }
  ~GitLib() { LAZY_GIT(git_libgit2_shutdown)(); }
};

void check(int rc, const std::string& step) {
  if (rc < 0) {
    const git_error* e = LAZY_GIT(git_error_last)();
    throw Error(Exit::io, step + ": " + (e != nullptr && e->message != nullptr ? e->message : "libgit2 error"));
  }
}

// Frees through the lazily loaded library (a template argument needs a function of our own).
#define GALLEY_GIT_FREE(T, fn) \
  void free_##T(T* p) { LAZY_GIT(fn)(p); }
GALLEY_GIT_FREE(git_repository, git_repository_free)
GALLEY_GIT_FREE(git_remote, git_remote_free)
GALLEY_GIT_FREE(git_index, git_index_free)
GALLEY_GIT_FREE(git_commit, git_commit_free)
GALLEY_GIT_FREE(git_tree, git_tree_free)
GALLEY_GIT_FREE(git_signature, git_signature_free)
GALLEY_GIT_FREE(git_reference, git_reference_free)
GALLEY_GIT_FREE(git_diff, git_diff_free)
#undef GALLEY_GIT_FREE

template <typename T, void (*Free)(T*)>
struct Owned {
  T* p = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    if (p != nullptr) {
      Free(p);
    }
  }
};
using Repo = Owned<git_repository, free_git_repository>;
using Remote = Owned<git_remote, free_git_remote>;
using Index = Owned<git_index, free_git_index>;
using Commit = Owned<git_commit, free_git_commit>;
using Tree = Owned<git_tree, free_git_tree>;
using Sig = Owned<git_signature, free_git_signature>;
using Ref = Owned<git_reference, free_git_reference>;
using Diff = Owned<git_diff, free_git_diff>;

struct CredState {
  int calls = 0;
};

int credentials_cb(git_credential** out, const char*, const char* username_from_url, unsigned int allowed, void* payload) {
  auto* state = static_cast<CredState*>(payload);
  if (++state->calls > 1) {
    LAZY_GIT(git_error_set_str)(GIT_ERROR_NET, "authentication failed (credentials from GALLEY_GIT_USERNAME/GALLEY_GIT_PASSWORD "
                                     "or the SSH agent)");
    return GIT_EUSER;
  }
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0) {
    const char* user = std::getenv("GALLEY_GIT_USERNAME");
    const char* pass = std::getenv("GALLEY_GIT_PASSWORD");
    if (pass != nullptr && *pass != '\0') {
      return LAZY_GIT(git_credential_userpass_plaintext_new)(out, user != nullptr ? user : (username_from_url ? username_from_url : "git"), pass);
    }
  }
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) != 0) {
    return LAZY_GIT(git_credential_ssh_key_from_agent)(out, username_from_url != nullptr ? username_from_url : "git");
  }
  LAZY_GIT(git_error_set_str)(GIT_ERROR_NET, "the server wants credentials: set GALLEY_GIT_USERNAME and GALLEY_GIT_PASSWORD, or "
                                   "load a key into the SSH agent");
  return GIT_EUSER;
}

struct PushState {
  std::string rejected;  // the server's reason, "" = accepted
};

int push_status_cb(const char* refname, const char* status, void* payload) {
  if (status != nullptr) {
    static_cast<PushState*>(payload)->rejected = std::string(refname) + ": " + status;
  }
  return 0;
}

struct BundleFile {
  std::string path;  // relative to the bundle
  std::string bytes;
  bool executable = false;
};

std::vector<BundleFile> read_files(const std::string& dir) {
  std::vector<BundleFile> files;
  // The attestation is published with the bundle.
  for (const auto& [path, facts] : bundle::walk_folder(dir, walk_within(Limits{}, bundle::Attestation::include)).files) {  // sorted
    files.push_back(BundleFile{path, core::read_file((fs::path(dir) / path).string()), facts.executable});
  }
  return files;
}

std::pair<std::string, std::string> parse_author(const std::string& author) {
  if (author.empty()) {
    return {"Galley", "galley@localhost"};
  }
  // "Name <mail>", matched by hand: Name has no '<', '>' or newline and does not end in a blank;
  // mail has no '<', '>' or blank.
  auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  size_t open = author.find('<');
  bool ok = open != std::string::npos && author.back() == '>' && open + 2 < author.size();
  std::string name = ok ? author.substr(0, open) : "";
  std::string mail = ok ? author.substr(open + 1, author.size() - open - 2) : "";
  while (!name.empty() && blank(name.back())) {
    name.pop_back();
  }
  ok = ok && !name.empty() && name.find_first_of("<>\n") == std::string::npos && !mail.empty() &&
       std::none_of(mail.begin(), mail.end(), [&](char c) { return c == '<' || c == '>' || blank(c); });
  if (!ok) {
    throw Error(Exit::bad_input, core::OptionField{"author"}, shown_name(author) + " is not \"Name <mail>\"");
  }
  return {name, mail};
}

std::string make_message(const BundleInfo& info, const PublishOptions& options, const std::string& path) {
  std::string criteria;
  for (const auto& [k, v] : info.criteria) {
    criteria += (criteria.empty() ? "" : ", ") + k + "=" + v;
  }
  std::string subject = !options.message.empty()
                            ? options.message
                            : "galley: publish " + (info.name.empty() ? std::string("bundle") : info.name) + " to " +
                                  (path.empty() ? "." : path);
  return subject + "\n\nRecipe: " + info.recipe_digest + "\nCriteria: " + (criteria.empty() ? "-" : criteria) +
         "\nDeployer: " + (info.deployer.empty() ? "-" : info.deployer) + "\n";
}

class Publisher {
 public:
  // `files` are placed at `path`; `message` is the commit message.
  Publisher(std::vector<BundleFile> files, const PublishOptions& options, std::string path, std::string message)
      : m_options(options), m_path(std::move(path)), m_files(std::move(files)), m_message(std::move(message)) {}

  PublishResult run() {
    bundle::TempDir tmp(make_temp());
    check(LAZY_GIT(git_repository_init)(&m_repo.p, tmp.path().c_str(), 1), "creating a scratch repository");
    check(LAZY_GIT(git_remote_create)(&m_remote.p, m_repo.p, "origin", m_options.url.c_str()), "adding the remote " + m_options.url);
    PublishResult result;
    for (result.attempts = 1;; ++result.attempts) {
      fetch();
      git_oid base_commit{};
      bool has_base = remote_tip(base_commit);
      git_oid tree_id = build_tree(has_base ? &base_commit : nullptr);
      result.message = m_message;
      if (has_base) {
        Commit c;
        check(LAZY_GIT(git_commit_lookup)(&c.p, m_repo.p, &base_commit), "reading the branch tip");
        if (LAZY_GIT(git_oid_equal)(LAZY_GIT(git_commit_tree_id)(c.p), &tree_id) != 0) {
          result.changed = false;
          result.commit = oid_text(base_commit);
          return result;  // nothing to commit, nothing pushed
        }
      }
      if (m_options.dry_run) {
        result.changed = true;
        result.commit = has_base ? oid_text(base_commit) : "";
        result.changes = changes(has_base ? &base_commit : nullptr, tree_id);
        return result;  // the scratch repository goes with `tmp`; nothing committed or pushed
      }
      git_oid commit = make_commit(tree_id, has_base ? &base_commit : nullptr);
      std::string rejected = push();
      if (rejected.empty()) {
        result.changed = true;
        result.commit = oid_text(commit);
        return result;
      }
      if (result.attempts >= 2) {
        // A ref lock left in the remote (by a push that is running, or by one that was killed:
        // git leaves it then too) rejects every push until it goes; say so rather than "again".
        std::string advice = rejected.find("failed to lock file") != std::string::npos
                                 ? "A lock file is in the way: another push is running, or one was killed and left it; "
                                   "remove it once no push is running, then publish again"
                                 : "Fetch, check, and publish again";
        throw Error(Exit::io, core::Where{m_options.url, 0, ""},
                    "the push of branch " + m_options.branch + " was rejected twice (" + rejected +
                        "); the remote was not changed by galley. " + advice);
      }
    }
  }

 private:
  // The scratch repository: $TMPDIR/.galley-publish.scratch-XXXXXX, locked while this run lives;
  // scratch folders of killed runs are swept by the next publish (bundle::temp_beside).
  static fs::path make_temp() { return bundle::temp_beside(fs::temp_directory_path() / "galley-publish", "scratch"); }

  static std::string oid_text(const git_oid& id) {
    char buf[GIT_OID_HEXSZ + 1];
    LAZY_GIT(git_oid_tostr)(buf, sizeof buf, &id);
    return buf;
  }

  std::string tracking_ref() const { return "refs/remotes/origin/" + m_options.branch; }

  void fetch() {
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    CredState creds;
    opts.callbacks.credentials = credentials_cb;
    opts.callbacks.payload = &creds;
    opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    std::string spec = "+refs/heads/" + m_options.branch + ":" + tracking_ref();
    char* specs[] = {spec.data()};
    git_strarray refspecs{specs, 1};
    check(LAZY_GIT(git_remote_fetch)(m_remote.p, &refspecs, &opts, nullptr), "fetching " + m_options.url);
  }

  bool remote_tip(git_oid& out) {
    int rc = LAZY_GIT(git_reference_name_to_id)(&out, m_repo.p, tracking_ref().c_str());
    if (rc == GIT_ENOTFOUND) {
      return false;  // a new branch: a root commit holding the bundle
    }
    check(rc, "reading branch " + m_options.branch);
    return true;
  }

  git_oid build_tree(const git_oid* base_commit) {
    Index index;
    check(LAZY_GIT(git_index_new)(&index.p), "creating an index");
    if (base_commit != nullptr) {
      Commit c;
      Tree t;
      check(LAZY_GIT(git_commit_lookup)(&c.p, m_repo.p, base_commit), "reading the branch tip");
      check(LAZY_GIT(git_commit_tree)(&t.p, c.p), "reading the branch tree");
      check(LAZY_GIT(git_index_read_tree)(index.p, t.p), "reading the branch tree");
    }
    // Exactly PATH is replaced: everything under it goes, the bundle comes in.
    if (m_path.empty()) {
      check(LAZY_GIT(git_index_clear)(index.p), "clearing the tree");
    } else {
      check(LAZY_GIT(git_index_remove_directory)(index.p, m_path.c_str(), 0), "removing " + m_path);
      LAZY_GIT(git_index_remove)(index.p, m_path.c_str(), 0);  // PATH may have been a file; absent is fine
    }
    for (const auto& f : m_files) {
      git_index_entry entry{};
      std::string path = m_path.empty() ? f.path : m_path + "/" + f.path;
      check(LAZY_GIT(git_blob_create_from_buffer)(&entry.id, m_repo.p, f.bytes.data(), f.bytes.size()), "storing " + f.path);
      entry.mode = f.executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
      entry.path = path.c_str();
      entry.file_size = static_cast<std::uint32_t>(f.bytes.size());
      check(LAZY_GIT(git_index_add)(index.p, &entry), "adding " + path);
    }
    git_oid tree{};
    check(LAZY_GIT(git_index_write_tree_to)(&tree, index.p, m_repo.p), "writing the tree");
    return tree;
  }

  // What the tree `tree_id` changes against the tree of `base_commit` (none: a new branch).
  std::vector<PublishChange> changes(const git_oid* base_commit, const git_oid& tree_id) {
    Commit c;
    Tree old_tree;
    if (base_commit != nullptr) {
      check(LAZY_GIT(git_commit_lookup)(&c.p, m_repo.p, base_commit), "reading the branch tip");
      check(LAZY_GIT(git_commit_tree)(&old_tree.p, c.p), "reading the branch tree");
    }
    Tree new_tree;
    check(LAZY_GIT(git_tree_lookup)(&new_tree.p, m_repo.p, &tree_id), "reading the new tree");
    Diff diff;
    check(LAZY_GIT(git_diff_tree_to_tree)(&diff.p, m_repo.p, old_tree.p, new_tree.p, nullptr), "comparing the trees");
    std::vector<PublishChange> out;
    for (size_t i = 0, n = LAZY_GIT(git_diff_num_deltas)(diff.p); i < n; ++i) {
      const git_diff_delta* d = LAZY_GIT(git_diff_get_delta)(diff.p, i);
      if (d->status == GIT_DELTA_ADDED) {
        out.push_back({'A', d->new_file.path});
      } else if (d->status == GIT_DELTA_DELETED) {
        out.push_back({'D', d->old_file.path});
      } else {
        out.push_back({'M', d->new_file.path});
      }
    }
    std::sort(out.begin(), out.end(), [](const PublishChange& a, const PublishChange& b) { return a.path < b.path; });
    return out;
  }

  git_oid make_commit(const git_oid& tree_id, const git_oid* parent_id) {
    auto [name, mail] = parse_author(m_options.author);
    std::int64_t when = m_options.time ? *m_options.time : static_cast<std::int64_t>(std::time(nullptr));
    Sig sig;
    check(LAZY_GIT(git_signature_new)(&sig.p, name.c_str(), mail.c_str(), when, 0), "making the signature");
    Tree tree;
    check(LAZY_GIT(git_tree_lookup)(&tree.p, m_repo.p, &tree_id), "reading the new tree");
    Commit parent;
    const git_commit* parents[1] = {nullptr};
    size_t count = 0;
    if (parent_id != nullptr) {
      check(LAZY_GIT(git_commit_lookup)(&parent.p, m_repo.p, parent_id), "reading the branch tip");
      parents[0] = parent.p;
      count = 1;
    }
    git_oid id{};
    check(LAZY_GIT(git_commit_create)(&id, m_repo.p, nullptr, sig.p, sig.p, "UTF-8", m_message.c_str(), tree.p, count, parents),
          "committing");
    Ref ref;
    std::string local = "refs/heads/" + m_options.branch;
    check(LAZY_GIT(git_reference_create)(&ref.p, m_repo.p, local.c_str(), &id, 1, "galley publish"), "updating " + local);
    return id;
  }

  // "" when accepted; else why it was rejected.
  std::string push() {
    git_push_options opts = GIT_PUSH_OPTIONS_INIT;
    // push_update_reference gets the same payload as the credentials callback: share one struct.
    struct Both {
      CredState creds;
      PushState push;
    } both;
    opts.callbacks.payload = &both;
    opts.callbacks.credentials = [](git_credential** out, const char* url, const char* user, unsigned int allowed, void* p) {
      return credentials_cb(out, url, user, allowed, &static_cast<Both*>(p)->creds);
    };
    opts.callbacks.push_update_reference = [](const char* ref, const char* status, void* p) {
      return push_status_cb(ref, status, &static_cast<Both*>(p)->push);
    };
    std::string spec = "refs/heads/" + m_options.branch + ":refs/heads/" + m_options.branch;
    char* specs[] = {spec.data()};
    git_strarray refspecs{specs, 1};
    int rc = LAZY_GIT(git_remote_push)(m_remote.p, &refspecs, &opts);
    if (rc == GIT_ENONFASTFORWARD) {
      return "non-fast-forward";
    }
    check(rc, "pushing to " + m_options.url);
    return both.push.rejected;
  }

  PublishOptions m_options;
  std::string m_path;
  std::vector<BundleFile> m_files;
  std::string m_message;
  Repo m_repo;
  Remote m_remote;
};

}  // namespace

void check_bundle_source(const BundleInfo& info, const PublishOptions& options) {
  if (info.deployer != "argocd" && info.deployer != "flux") {
    return;  // a helm bundle does not name where it lives
  }
  const std::string url = options.source_url.empty() ? options.url : options.source_url;
  const std::string path = normalize_repo_path(options.path);
  const std::string bundle_path = info.source_path.empty() ? "" : normalize_repo_path(info.source_path);
  if (info.source_url == url && info.source_revision == options.branch && bundle_path == path) {
    return;
  }
  throw Error(Exit::bad_input, core::Where{"bundle.yaml", 0, "spec.options"},
              "this " + info.deployer + " bundle is read from " + info.source_url + " " + info.source_revision + ":" +
                  info.source_path + ", not from " + url + " " + options.branch + ":" + path +
                  "; render it for repository " + url + ", revision " + options.branch + ", path " + path +
                  (options.source_url.empty() ? " (or give the source URL when Argo CD / Flux read the repository at "
                                                "another URL than the one published to)"
                                              : ""));
}

namespace {

// The checks every publish makes before any network traffic; returns the normalised path.
std::string checked_path(const PublishOptions& options) {
  std::string path = normalize_repo_path(options.path);
  if (options.url.empty()) {
    throw Error(Exit::bad_input, core::OptionField{"git"}, "no repository URL");
  }
  bool branch_chars = !options.branch.empty() && options.branch.find_first_not_of(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-") == std::string::npos;
  if (!branch_chars || options.branch.size() > 255 || options.branch.find("..") != std::string::npos ||
      options.branch.front() == '/' || options.branch.back() == '/' || options.branch.ends_with(".lock")) {
    throw Error(Exit::bad_input, core::OptionField{"branch"}, shown_name(options.branch) + " is not a branch name");
  }
  parse_author(options.author);  // refuse a bad author before any network traffic
  return path;
}

}  // namespace

PublishResult publish(const std::string& dir, const PublishOptions& options) {
  std::string path = checked_path(options);
  BundleInfo info = read_bundle_info(dir);
  check_bundle_source(info, options);
  static GitLib lib;
  Publisher publisher(read_files(dir), options, path, make_message(info, options, path));
  return publisher.run();
}

PublishResult publish_folder(const std::string& dir, const PublishOptions& options, const std::string& trailer) {
  std::string path = checked_path(options);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(Exit::not_found, core::Where{dir, 0, ""}, "no such folder");
  }
  std::vector<BundleFile> files = read_files(dir);
  if (files.empty()) {
    throw Error(Exit::bad_input, core::Where{dir, 0, ""}, "an empty folder: nothing to publish");
  }
  std::string subject = options.message.empty() ? "galley: publish " + (path.empty() ? std::string(".") : path) : options.message;
  static GitLib lib;
  Publisher publisher(std::move(files), options, path, subject + "\n\n" + trailer);
  return publisher.run();
}

}  // namespace galley::deliver
