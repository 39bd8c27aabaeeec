package dev.tollgate.internal.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Checks detached Ed25519 signatures over the exact bytes of a snapshot, with the JDK's own implementation. Signatures
 * travel as base64 text (standard or URL-safe alphabet, padding optional) of the 64-byte signature. A signature by any
 * of the trusted keys is accepted, so that keys can be rotated. Thread-safe: a {@link Signature} object is made per
 * check.
 */
public final class SignatureVerifier {
    private static final String ALGORITHM = "Ed25519";
    private static final int SIGNATURE_BYTES = 64;
    private static final int RAW_KEY_BYTES = 32;
    /** The DER prefix of an X.509 SubjectPublicKeyInfo holding a raw 32-byte Ed25519 key (RFC 8410). */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final List<PublicKey> keys;

    private SignatureVerifier(List<PublicKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * A verifier trusting {@code key}.
     *
     * @throws IllegalArgumentException if it is not an Ed25519 public key
     */
    public static SignatureVerifier of(PublicKey key) {
        return of(List.of(key));
    }

    /**
     * A verifier trusting each of {@code keys}.
     *
     * @throws IllegalArgumentException if there are none, or one is not an Ed25519 public key
     */
    public static SignatureVerifier of(List<PublicKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a signature verifier needs at least one key");
        }
        keys.forEach(SignatureVerifier::checkEd25519);
        return new SignatureVerifier(keys);
    }

    /**
     * @throws IllegalArgumentException if {@code key} is not an Ed25519 public key
     */
    public static void checkEd25519(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (!(key instanceof EdECPublicKey edKey)
                || !ALGORITHM.equalsIgnoreCase(edKey.getParams().getName())) {
            throw new IllegalArgumentException("expected an Ed25519 public key but got " + key.getAlgorithm());
        }
    }

    /**
     * Parses an Ed25519 public key: a PEM {@code PUBLIC KEY} block (what {@code openssl pkey -pubout} writes), the base64
     * of its DER, or the base64 of the raw 32-byte key.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static PublicKey parsePublicKey(String text) {
        Objects.requireNonNull(text, "text");
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the public key is neither PEM nor base64: " + e.getMessage(), e);
        }
        if (der.length == RAW_KEY_BYTES) {
            byte[] wrapped = new byte[SPKI_PREFIX.length + RAW_KEY_BYTES];
            System.arraycopy(SPKI_PREFIX, 0, wrapped, 0, SPKI_PREFIX.length);
            System.arraycopy(der, 0, wrapped, SPKI_PREFIX.length, RAW_KEY_BYTES);
            der = wrapped;
        }
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "not an Ed25519 public key (" + der.length + " bytes of DER): " + e.getMessage(), e);
        }
    }

    /** Why {@code signature} does not vouch for {@code snapshot}, or {@code null} when it does. */
    public String problem(byte[] snapshot, String signature) {
        if (signature == null || signature.isBlank()) {
            return "snapshot is not signed, and this client accepts only snapshots with a valid Ed25519 signature";
        }
        byte[] bytes = decode(signature.strip());
        if (bytes == null || bytes.length != SIGNATURE_BYTES) {
            return "signature is not the base64 of a 64-byte Ed25519 signature";
        }
        for (PublicKey key : keys) {
            if (verifies(key, snapshot, bytes)) {
                return null;
            }
        }
        return "signature does not match the snapshot: it was signed with another key or the bytes changed";
    }

    private static boolean verifies(PublicKey key, byte[] snapshot, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(snapshot);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // malformed for this key: it does not vouch for the snapshot
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK cannot verify Ed25519 signatures", e);
        }
    }

    private static byte[] decode(String text) {
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "SignatureVerifier[Ed25519, " + keys.size() + (keys.size() == 1 ? " key]" : " keys]");
    }
}
