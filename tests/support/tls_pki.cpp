#include "tls_pki.h"

#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "test_support.h"

namespace lockscope::test {
namespace {

void run(const std::vector<std::string>& argv) {
    const CliResult r = runProgram(argv, 20000);
    if (r.exitCode != 0)
        throw std::runtime_error("openssl failed (" + std::to_string(r.exitCode) + "): " + r.err);
}

// EC keys: a P-256 key is made in a millisecond, an RSA one in a tenth of a second or more.
const std::vector<std::string> kNewKey = {"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};

void makeCa(const std::string& cert, const std::string& key, const std::string& name) {
    std::vector<std::string> a = {"openssl", "req", "-x509"};
    a.insert(a.end(), kNewKey.begin(), kNewKey.end());
    a.insert(a.end(), {"-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=" + name});
    run(a);
}

void makeSigned(const std::string& dir, const std::string& base, const std::string& subject,
                const std::string& extensions, const std::string& caCert, const std::string& caKey,
                const std::string& days) {
    const std::string key = dir + "/" + base + ".key", csr = dir + "/" + base + ".csr",
                      ext = dir + "/" + base + ".ext", cert = dir + "/" + base + ".crt";
    std::vector<std::string> a = {"openssl", "req"};
    a.insert(a.end(), kNewKey.begin(), kNewKey.end());
    a.insert(a.end(), {"-keyout", key, "-out", csr, "-subj", subject});
    run(a);
    std::ofstream(ext) << extensions << "\n";
    run({"openssl", "x509", "-req", "-in", csr, "-CA", caCert, "-CAkey", caKey, "-CAcreateserial",
         "-out", cert, "-days", days, "-extfile", ext});
}

}  // namespace

TestPki::TestPki(const std::string& directory) : dir(directory) {
    caCert = dir + "/ca.crt";
    caKey = dir + "/ca.key";
    makeCa(caCert, caKey, "LockScope Test CA");
    // First: valid for 0 days, so it has expired by the time a test uses it.
    makeSigned(dir, "expired", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1", caCert,
               caKey, "0");
    expiredCert = dir + "/expired.crt";
    expiredKey = dir + "/expired.key";
    makeSigned(dir, "server", "/CN=localhost",
               "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth",
               caCert, caKey, "2");
    serverCert = dir + "/server.crt";
    serverKey = dir + "/server.key";
    makeSigned(dir, "client", "/CN=lockscope-test-client", "extendedKeyUsage=clientAuth", caCert,
               caKey, "2");
    clientCert = dir + "/client.crt";
    clientKey = dir + "/client.key";
    otherCaCert = dir + "/other-ca.crt";
    const std::string otherCaKey = dir + "/other-ca.key";
    makeCa(otherCaCert, otherCaKey, "Somebody Else's CA");
    makeSigned(dir, "other-client", "/CN=stranger", "extendedKeyUsage=clientAuth", otherCaCert,
               otherCaKey, "2");
    otherClientCert = dir + "/other-client.crt";
    otherClientKey = dir + "/other-client.key";
    encryptedClientKey = dir + "/client-encrypted.key";
    run({"openssl", "pkey", "-in", clientKey, "-out", encryptedClientKey, "-aes256", "-passout",
         "pass:" + keyPassphrase});
    // The expired certificate's notAfter is the second it was made: make sure that has passed.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
}

}  // namespace lockscope::test
