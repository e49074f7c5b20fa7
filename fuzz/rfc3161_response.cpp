// Fuzz target: RFC 3161 timestamp responses (DER), parsed and checked against the signature, then
// verified against a TSA chain: the test TSA (tests/interop/tsa.sh) that signed the seeds in
// fuzz/seeds/rfc3161_response, so mutated responses reach the signature and signer checks too.
// (OpenSSL is not instrumented: without real responses as seeds no input gets past its DER parser.)
#include "attest/internal/timestamp.hpp"
#include "fuzz/harness.hpp"

namespace {
const char* const k_chain = R"(-----BEGIN CERTIFICATE-----
MIIBwTCCAWegAwIBAgICEAEwCgYIKoZIzj0EAwIwLzEVMBMGA1UECgwMR2FsbGV5
IHRlc3RzMRYwFAYDVQQDDA10ZXN0IFRTQSByb290MB4XDTIwMDEwMTAwMDAwMFoX
DTM5MTIzMTIzNTk1OVowKjEVMBMGA1UECgwMR2FsbGV5IHRlc3RzMREwDwYDVQQD
DAh0ZXN0IFRTQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABKIAFZ9hWRMYb1ku
DL/6mWToJlYlsCuxi7xkzriewb2BS9bITU6hlZ5F/eMrLCLxzmEm9NLSOFKxc5IZ
0KrEbfCjeDB2MAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBYGA1UdJQEB
/wQMMAoGCCsGAQUFBwMIMB0GA1UdDgQWBBQN6wJeIK0V+4s25RGhK0dyHNqWyjAf
BgNVHSMEGDAWgBQicR99SoEGWCGAtPoEX1x5/nyq4DAKBggqhkjOPQQDAgNIADBF
AiBKB4wjFJBnbx4x6qCWymB2ujUz34tYo2HMrUFT3uevDAIhAMgkaHCw/I4cydZe
LOEGvNJYkZydZdFeJ6uqa2KyzRfB
-----END CERTIFICATE-----
-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgICEAAwCgYIKoZIzj0EAwIwLzEVMBMGA1UECgwMR2FsbGV5
IHRlc3RzMRYwFAYDVQQDDA10ZXN0IFRTQSByb290MB4XDTIwMDEwMTAwMDAwMFoX
DTQ5MTIzMTIzNTk1OVowLzEVMBMGA1UECgwMR2FsbGV5IHRlc3RzMRYwFAYDVQQD
DA10ZXN0IFRTQSByb290MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcfPLz0jj
2MeuDVpWrUPH2szJsilzQDPTdF8zzc6kts6d/tC+rp0u0xE8UkTnWkiBdqkDdwkD
ucSnMMS06hdaOqNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYw
HQYDVR0OBBYEFCJxH31KgQZYIYC0+gRfXHn+fKrgMAoGCCqGSM49BAMCA0cAMEQC
IDTXJEID4w+/YsBMTWOlgzaO97P7FZ25gCtd7DigUeDeAiBLnRarW3g79zhg3rCh
Z3rQuImDiTb7p1zdYfbewu5UyQ==
-----END CERTIFICATE-----
)";
}  // namespace

void galley_fuzz_one(std::string_view input) {
  static const galley::attest::TrustedTsa tsa{"fuzz", k_chain};
  (void)galley::attest::verify_timestamp(input, "signature", tsa);
}
