// A throwaway PKI for TLS tests, made with the `openssl` command in a directory the caller owns
// (the test's temp dir): a CA, a server certificate for localhost / 127.0.0.1, a client
// certificate, a second CA nobody trusts (and a client certificate it signed), an expired server
// certificate and a passphrase-protected client key.
//
// Thread contract: construct on one thread; the paths are plain values afterwards.
#pragma once

#include <string>

namespace lockscope::test {

struct TestPki {
    // Makes every file in `dir` (which must exist); throws std::runtime_error with openssl's words.
    explicit TestPki(const std::string& dir);

    std::string dir;
    std::string caCert, caKey;
    std::string serverCert, serverKey;  // DNS:localhost, IP:127.0.0.1, signed by caCert; server
                                        // and client use (a node links to its peers with it)
    std::string clientCert, clientKey;  // signed by caCert
    std::string otherCaCert;            // a CA that signed nothing the servers use
    std::string otherClientCert, otherClientKey;  // signed by otherCaCert
    std::string expiredCert, expiredKey;          // signed by caCert, valid for 0 days
    std::string encryptedClientKey;               // clientKey encrypted with `keyPassphrase`
    std::string keyPassphrase = "correct horse";
};

}  // namespace lockscope::test
