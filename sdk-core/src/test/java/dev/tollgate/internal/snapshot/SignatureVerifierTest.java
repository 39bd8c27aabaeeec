package dev.tollgate.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
    private static final byte[] SNAPSHOT = "{\"format\": 1}".getBytes(StandardCharsets.UTF_8);

    private final KeyPair keys = generate("Ed25519");
    private final SignatureVerifier verifier = SignatureVerifier.of(keys.getPublic());

    private static KeyPair generate(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] sign(byte[] bytes) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(keys.getPrivate());
        signature.update(bytes);
        return signature.sign();
    }

    @Test
    void problem_isNullForAValidSignature_inEitherBase64Alphabet() throws GeneralSecurityException {
        byte[] signature = sign(SNAPSHOT);

        assertThat(verifier.problem(SNAPSHOT, Base64.getEncoder().encodeToString(signature)))
                .isNull();
        assertThat(verifier.problem(
                        SNAPSHOT, Base64.getUrlEncoder().withoutPadding().encodeToString(signature)))
                .isNull();
        assertThat(verifier.problem(SNAPSHOT, " " + Base64.getEncoder().encodeToString(signature) + "\n"))
                .isNull();
    }

    @Test
    void problem_namesWhatIsWrong() throws GeneralSecurityException {
        byte[] changed = Arrays.copyOf(SNAPSHOT, SNAPSHOT.length + 1);
        String signature = Base64.getEncoder().encodeToString(sign(SNAPSHOT));

        assertThat(verifier.problem(changed, signature))
                .isEqualTo(
                        "signature does not match the snapshot: it was signed with another key or the bytes changed");
        assertThat(verifier.problem(SNAPSHOT, null))
                .isEqualTo("snapshot is not signed, and this client accepts only snapshots with a valid Ed25519"
                        + " signature");
        assertThat(verifier.problem(SNAPSHOT, "not base64!"))
                .isEqualTo("signature is not the base64 of a 64-byte Ed25519 signature");
        assertThat(verifier.problem(SNAPSHOT, Base64.getEncoder().encodeToString(new byte[32])))
                .isEqualTo("signature is not the base64 of a 64-byte Ed25519 signature");
    }

    @Test
    void parsePublicKey_readsPemDerAndRawKeys() throws GeneralSecurityException {
        byte[] der = keys.getPublic().getEncoded();
        String base64 = Base64.getEncoder().encodeToString(der);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
        String raw = Base64.getEncoder().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
        String signature = Base64.getEncoder().encodeToString(sign(SNAPSHOT));

        for (String text : new String[] {pem, base64, raw}) {
            assertThat(SignatureVerifier.of(SignatureVerifier.parsePublicKey(text))
                            .problem(SNAPSHOT, signature))
                    .as(text)
                    .isNull();
        }
    }

    @Test
    void parsePublicKey_rejectsWhatIsNotAnEd25519Key() {
        assertThatThrownBy(() -> SignatureVerifier.parsePublicKey("%%%"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the public key is neither PEM nor base64");
        String ec =
                Base64.getEncoder().encodeToString(generate("EC").getPublic().getEncoded());
        assertThatThrownBy(() -> SignatureVerifier.parsePublicKey(ec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an Ed25519 public key");
        assertThatThrownBy(() -> SignatureVerifier.of(generate("EC").getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an Ed25519 public key but got EC");
    }

    @Test
    void severalKeys_acceptASignatureByAnyOfThem_forRotation() throws GeneralSecurityException {
        KeyPair next = generate("Ed25519");
        SignatureVerifier rotating = SignatureVerifier.of(java.util.List.of(keys.getPublic(), next.getPublic()));
        Signature byNext = Signature.getInstance("Ed25519");
        byNext.initSign(next.getPrivate());
        byNext.update(SNAPSHOT);
        Signature byStranger = Signature.getInstance("Ed25519");
        byStranger.initSign(generate("Ed25519").getPrivate());
        byStranger.update(SNAPSHOT);

        assertThat(rotating.problem(SNAPSHOT, Base64.getEncoder().encodeToString(sign(SNAPSHOT))))
                .isNull();
        assertThat(rotating.problem(SNAPSHOT, Base64.getEncoder().encodeToString(byNext.sign())))
                .isNull();
        assertThat(rotating.problem(SNAPSHOT, Base64.getEncoder().encodeToString(byStranger.sign())))
                .startsWith("signature does not match the snapshot");
        assertThat(rotating).hasToString("SignatureVerifier[Ed25519, 2 keys]");
    }
}
