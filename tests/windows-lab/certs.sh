#!/usr/bin/env bash
# The Windows lab's certificates, made fresh with openssl into $1:
#   tls-ca.pem / tls.pem / tls.key   the loopback HTTPS server's (IP 127.0.0.1),
#                                    its CA trusted by the lab's baton.exe only;
#   root → intermediate → leaf       a code-signing chain; the leaf's CN is
#                                    "Baton Lab Signer", the signer the lab
#                                    catalog expects, with the codeSigning EKU;
#   other.pem / other.key            a leaf of the same chain named otherwise.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"
ossl() { openssl "$@" 2>/dev/null; }

ossl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Baton Lab TLS CA" \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout tls-ca.key -out tls-ca.pem
ossl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout tls.key -out tls.csr
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:false\n' > tls.ext
ossl x509 -req -in tls.csr -CA tls-ca.pem -CAkey tls-ca.key -CAcreateserial -days 30 -extfile tls.ext -out tls.pem

ossl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Baton Lab Root CA" \
  -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout root.key -out root.pem
ossl req -newkey rsa:2048 -nodes -subj "/CN=Baton Lab Code Signing CA" -keyout intermediate.key -out intermediate.csr
printf 'basicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > intermediate.ext
ossl x509 -req -in intermediate.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -extfile intermediate.ext -out intermediate.pem
printf 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' > leaf.ext
for who in "leaf:Baton Lab Signer" "other:Someone Else Software"; do
  name=${who%%:*} cn=${who#*:}
  ossl req -newkey rsa:2048 -nodes -subj "/CN=$cn/O=$cn" -keyout "$name.key" -out "$name.csr"
  ossl x509 -req -in "$name.csr" -CA intermediate.pem -CAkey intermediate.key -CAcreateserial -days 30 -extfile leaf.ext -out "$name.pem"
  cat "$name.pem" intermediate.pem root.pem > "$name-chain.pem"
done
rm -f ./*.csr ./*.ext ./*.srl
