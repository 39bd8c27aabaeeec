package dev.tollgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Signs snapshot bytes with the server's Ed25519 key (the JDK's implementation). The key file holds a PEM {@code
 * PRIVATE KEY} block (what {@code openssl genpkey -algorithm ed25519} writes), the base64 of its PKCS#8 DER, or the
 * base64 of the raw 32-byte private key. Signatures are the standard base64 of the 64 signature bytes.
 */
final class SnapshotSigner {
    /** The DER prefix of a PKCS#8 PrivateKeyInfo holding a raw 32-byte Ed25519 key (RFC 8410). */
    private static final byte[] PKCS8_PREFIX = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
    };

    private final PrivateKey key;

    private SnapshotSigner(PrivateKey key) {
        this.key = key;
    }

    static SnapshotSigner fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + file, e);
        }
        return new SnapshotSigner(parsePrivateKey(text, file.toString()));
    }

    static PrivateKey parsePrivateKey(String text, String source) {
        String body = text.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .strip();
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is neither a PEM private key nor base64", e);
        }
        if (der.length == 32) {
            byte[] wrapped = new byte[PKCS8_PREFIX.length + 32];
            System.arraycopy(PKCS8_PREFIX, 0, wrapped, 0, PKCS8_PREFIX.length);
            System.arraycopy(der, 0, wrapped, PKCS8_PREFIX.length, 32);
            der = wrapped;
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(source + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    String sign(byte[] body) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
