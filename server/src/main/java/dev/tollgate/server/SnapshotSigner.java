package dev.tollgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
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

    /** The length of the DER prefix of an X.509 SubjectPublicKeyInfo before a raw Ed25519 key (RFC 8410). */
    private static final int SPKI_PREFIX_BYTES = 12;

    private final PrivateKey key;
    private final String publicKey;

    private SnapshotSigner(PrivateKey key) {
        this.key = key;
        this.publicKey = Base64.getEncoder().encodeToString(rawPublicKey(key));
    }

    /** A signer with {@code key}, for tests. */
    static SnapshotSigner of(PrivateKey key) {
        return new SnapshotSigner(key);
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

    /**
     * The public half of the key: the standard base64 of the raw 32 bytes, which the SDK's {@code publicKey} option and
     * {@code GET /v1/snapshot/latest} use.
     */
    String publicKey() {
        return publicKey;
    }

    /**
     * Derives the public key from the private one. The JDK has no call for it, but its Ed25519 key pair generator takes
     * the 32-byte private key from its random source; fed the key's own bytes, it makes the key's pair again.
     */
    private static byte[] rawPublicKey(PrivateKey key) {
        byte[] seed = ((EdECPrivateKey) key)
                .getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the signing key does not expose its bytes"));
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, replay);
            byte[] spki = generator.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(spki, SPKI_PREFIX_BYTES, spki.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key", e);
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
