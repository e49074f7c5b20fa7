// RFC 3161 timestamps with OpenSSL's TS API. What is stamped is the DSSE signature bytes (the
// Sigstore convention that sigstore-js and sigstore-go verify), hashed with SHA-256. Verifying a
// token: the chain is checked at the token's own genTime (a TSA certificate that expired since still
// vouches for what it stamped while valid), with the timeStamping purpose, and the signer must be
// the chain's leaf: `ts -verify` alone would accept any TSA certificate under the same root.
#include <ctime>
#include <memory>
#include <optional>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "attest/internal/timestamp.hpp"
#include "core/error.hpp"
#include "net/http_client.hpp"
#include "net/url.hpp"

namespace galley::attest {

using core::Error;
using core::Exit;

namespace {

struct Free {
  void operator()(TS_RESP* p) const { TS_RESP_free(p); }
  void operator()(TS_REQ* p) const { TS_REQ_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(TS_VERIFY_CTX* p) const { TS_VERIFY_CTX_free(p); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

std::string openssl_errors() {
  std::string out;
  const char* data = nullptr;
  int flags = 0;
  while (unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    const char* reason = ERR_reason_error_string(e);
    out += (out.empty() ? "" : "; ") + std::string(reason != nullptr ? reason : "error");
    if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
      out += std::string(" (") + data + ")";
    }
  }
  return out.empty() ? "rejected" : out;
}

std::string digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

Owned<TS_RESP> parse_response(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Owned<TS_RESP> resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!resp) {
    throw Error(Exit::bad_input, "not a DER TimeStampResp");
  }
  return resp;
}

std::int64_t gen_time(TS_TST_INFO* tst) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst), &tm) != 1) {
    throw Error(Exit::bad_input, "the timestamp's genTime cannot be read");
  }
  return timegm(&tm);
}

std::vector<Owned<X509>> read_certificates(const std::string& pem) {
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<Owned<X509>> certs;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(c);
  }
  ERR_clear_error();
  return certs;
}

struct Chain {
  std::vector<Owned<X509>> certs;
  X509* root = nullptr;
  X509* leaf = nullptr;
};

// The TSA certificate (issues nothing) and the self-signed root, in a PEM chain in any order.
Chain read_chain(const std::string& pem) {
  Chain chain{read_certificates(pem)};
  int leaves = 0;
  for (const auto& c : chain.certs) {
    bool self_signed = X509_check_issued(c.get(), c.get()) == X509_V_OK;
    bool issues_another = false;
    for (const auto& other : chain.certs) {
      issues_another = issues_another || (other != c && X509_check_issued(c.get(), other.get()) == X509_V_OK);
    }
    chain.root = self_signed ? c.get() : chain.root;
    if (!issues_another && !self_signed) {
      chain.leaf = c.get();
      ++leaves;
    }
  }
  if (leaves != 1) {
    chain.leaf = nullptr;
  }
  ERR_clear_error();
  return chain;
}

}  // namespace

std::string tsa_chain_problem(const std::string& pem) {
  Chain chain = read_chain(pem);
  if (chain.certs.size() < 2) {
    return "holds " + std::to_string(chain.certs.size()) +
           " certificate(s); give the TSA certificate and its issuers up to a self-signed root";
  }
  if (chain.root == nullptr || chain.leaf == nullptr) {
    return "is not one chain from a TSA certificate up to a self-signed root";
  }
  return "";
}

std::string timestamp_request(std::string_view signature, bool with_nonce) {
  std::string md = digest(EVP_sha256(), signature);
  Owned<TS_REQ> req(TS_REQ_new());
  TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR* algo = X509_ALGOR_new();
  X509_ALGOR_set0(algo, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  bool ok = TS_REQ_set_version(req.get(), 1) == 1 && TS_MSG_IMPRINT_set_algo(imprint, algo) == 1 &&
            TS_MSG_IMPRINT_set_msg(imprint, reinterpret_cast<unsigned char*>(md.data()), static_cast<int>(md.size())) == 1 &&
            TS_REQ_set_msg_imprint(req.get(), imprint) == 1 && TS_REQ_set_cert_req(req.get(), 1) == 1;
  X509_ALGOR_free(algo);
  TS_MSG_IMPRINT_free(imprint);
  if (ok && with_nonce) {
    unsigned char bytes[8];
    ok = RAND_bytes(bytes, sizeof bytes) == 1;
    bytes[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
    ASN1_INTEGER* nonce = BN_to_ASN1_INTEGER(bn, nullptr);
    ok = ok && nonce != nullptr && TS_REQ_set_nonce(req.get(), nonce) == 1;
    ASN1_INTEGER_free(nonce);
    BN_free(bn);
  }
  unsigned char* der = nullptr;
  int len = ok ? i2d_TS_REQ(req.get(), &der) : -1;
  if (len <= 0) {
    throw Error(Exit::io, "cannot build the timestamp query: " + openssl_errors());
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::int64_t check_timestamp_response(std::string_view response, std::string_view signature) {
  Owned<TS_RESP> resp = parse_response(response);
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
  if (status != 0 && status != 1) {
    throw Error(Exit::bad_input, "the TimeStampResp status is " + std::to_string(status) + ", not granted");
  }
  TS_TST_INFO* tst = TS_RESP_get_tst_info(resp.get());
  if (tst == nullptr) {
    throw Error(Exit::bad_input, "the TimeStampResp carries no token");
  }
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(tst);
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
  int nid = OBJ_obj2nid(oid);
  const EVP_MD* md = nid == NID_sha256 ? EVP_sha256() : nid == NID_sha384 ? EVP_sha384() : nid == NID_sha512 ? EVP_sha512() : nullptr;
  if (md == nullptr) {
    throw Error(Exit::bad_input, "the timestamp's imprint is not SHA-256, -384 or -512");
  }
  ASN1_OCTET_STRING* msg = TS_MSG_IMPRINT_get_msg(imprint);
  std::string expected = digest(md, signature);
  if (static_cast<size_t>(ASN1_STRING_length(msg)) != expected.size() ||
      expected.compare(0, expected.size(), reinterpret_cast<const char*>(ASN1_STRING_get0_data(msg)), expected.size()) != 0) {
    throw Error(Exit::bad_input, "the timestamp is not over this signature (message imprint mismatch)");
  }
  return gen_time(tst);
}

TimestampResult verify_timestamp(std::string_view response, std::string_view signature, const TrustedTsa& tsa) {
  std::int64_t when = 0;
  try {
    when = check_timestamp_response(response, signature);
  } catch (const Error& e) {
    return {std::nullopt, e.what()};
  }
  Chain chain = read_chain(tsa.certificates_pem);
  const auto& certs = chain.certs;
  X509* root = chain.root;
  X509* leaf = chain.leaf;
  if (certs.size() < 2 || root == nullptr || leaf == nullptr) {
    return {std::nullopt, "TSA \"" + tsa.name + "\": its certificates are not a chain from a TSA certificate to a self-signed root"};
  }
  Owned<TS_RESP> resp = parse_response(response);
  Owned<TS_VERIFY_CTX> ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, root);
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), static_cast<time_t>(when));
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (const auto& c : certs) {
    if (c.get() != root) {
      X509_up_ref(c.get());
      sk_X509_push(untrusted, c.get());
    }
  }
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
  TS_VERIFY_CTX_set_data(ctx.get(), BIO_new_mem_buf(signature.data(), static_cast<int>(signature.size())));
  TS_VERIFY_CTX_set_store(ctx.get(), store);
  TS_VERIFY_CTX_set_certs(ctx.get(), untrusted);
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    return {std::nullopt, openssl_errors()};
  }
  STACK_OF(X509)* signers = PKCS7_get0_signers(TS_RESP_get_token(resp.get()), untrusted, 0);
  bool pinned = signers != nullptr && sk_X509_num(signers) == 1 && X509_cmp(sk_X509_value(signers, 0), leaf) == 0;
  sk_X509_free(signers);
  ERR_clear_error();
  if (!pinned) {
    return {std::nullopt, "not signed by the TSA certificate of \"" + tsa.name + "\""};
  }
  return {when, ""};
}

std::string request_timestamp(const std::string& url, const std::string& query, const std::string& ca_file) {
  const core::OptionField flag{"tsa-url"};
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    throw Error(Exit::bad_input, flag, "\"" + url + "\": only http:// and https:// URLs are supported");
  }
  std::optional<net::Url> parts = net::split_url(url);
  if (parts && !parts->userinfo.empty()) {
    throw Error(Exit::bad_input, flag, "\"" + url + "\": credentials in the URL are not supported");
  }
  if (!parts) {
    throw Error(Exit::bad_input, flag, "\"" + url + "\" names no host");
  }
  net::Request request;
  request.method = "POST";
  request.url = url;
  request.ca_file = ca_file;
  request.headers = {"Content-Type: application/timestamp-query"};
  request.body = query;
  request.limits.max_body = 1u << 20;
  request.limits.connect_seconds = 30;  // a TSA that hangs fails the command
  request.limits.stall_seconds = 30;
  net::Client client;
  net::Response response;
  try {
    response = client.send(request);
  } catch (const Error& e) {
    if (e.exit() != Exit::bad_input) {
      throw;  // unreachable, cut short, timed out: io already
    }
    // Over the limit: from a TSA, one more unusable answer (io, as the documented exit 5 says).
    throw Error(Exit::io, core::Where{url, 0, ""}, "the reply is larger than 1 MiB");
  }
  if (response.status != 200) {
    throw Error(Exit::io, core::Where{url, 0, ""}, "the TSA answered \"" + response.status_line + "\"");
  }
  return response.body;
}

}  // namespace galley::attest
