package io.hybridci.local.engine.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.local.engine.LocalAws;
import io.hybridci.local.engine.PrivateFiles;
import io.hybridci.local.engine.http.AwsJsonError;
import io.hybridci.local.engine.http.AwsJsonServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;


import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * KMS for the local cloud: symmetric keys only (SYMMETRIC_DEFAULT), each an AES-256 master key kept in
 * {@code kms.json} (mode 0600) under the data dir, reached by the real SDK {@code KmsClient} over AWS JSON 1.1
 * ({@code X-Amz-Target: TrentService.<Operation>}).
 *
 * <p>Operations: CreateKey, DescribeKey, Encrypt, Decrypt. As in KMS, the ciphertext blob names its key, so
 * Decrypt needs no KeyId (and refuses with IncorrectKeyException when one is given and differs), and the
 * encryption context is bound to it: Decrypt with another context, or a tampered blob, answers
 * InvalidCiphertextException. Blob: {@code 0x01 | key-id length | key id | 12-byte nonce | AES-GCM
 * ciphertext and tag}; the associated data is the key id and the context's entries sorted by key, each
 * length-prefixed, so no two contexts share a serialization.
 *
 * <p>Not as in AWS: no aliases, grants, key policies, rotation, deletion, data keys, ReEncrypt or asymmetric
 * keys; the blob format is our own (KMS's is opaque too). Key material and plaintexts are never logged.
 */
public final class LocalKms extends AwsJsonServer {

    static final String FILE_NAME = "kms.json";
    private static final byte BLOB_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int MAX_PLAINTEXT_BYTES = 4096;

    private final Path file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ObjectNode keys;

    private LocalKms(Path file, int port, Clock clock) throws IOException {
        super("TrentService", port);
        this.file = file;
        this.clock = clock;
        this.keys = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    /** Starts on {@code 127.0.0.1:port} (0: any free port), loading keys from {@code dataDir} if there are any. */
    public static LocalKms start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, Clock.systemUTC());
    }

    /** Starts with an explicit clock for creation dates. */
    public static LocalKms start(Path dataDir, int port, Clock clock) throws IOException {
        Files.createDirectories(dataDir);
        LocalKms kms = new LocalKms(dataDir.resolve(FILE_NAME), port, clock);
        kms.startServing();
        return kms;
    }

    @Override
    protected synchronized JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateKey" -> createKey(request);
            case "DescribeKey" -> describeKey(request);
            case "Encrypt" -> encrypt(request);
            case "Decrypt" -> decrypt(request);
            default -> throw new AwsJsonError("UnsupportedOperationException", "operation not supported locally: " + operation);
        };
    }

    private JsonNode createKey(JsonNode request) {
        String usage = optional(request, "KeyUsage", "ENCRYPT_DECRYPT");
        String spec = optional(request, "KeySpec", optional(request, "CustomerMasterKeySpec", "SYMMETRIC_DEFAULT"));
        if (!usage.equals("ENCRYPT_DECRYPT") || !spec.equals("SYMMETRIC_DEFAULT")) {
            throw new AwsJsonError("UnsupportedOperationException", "only symmetric ENCRYPT_DECRYPT keys locally");
        }
        String keyId = UUID.randomUUID().toString();
        byte[] material = new byte[32];
        random.nextBytes(material);
        ObjectNode key = keys.putObject(keyId);
        key.put("KeyId", keyId);
        key.put("Arn", arn(keyId));
        key.put("Description", optional(request, "Description", ""));
        key.put("CreationDate", clock.millis() / 1000.0);
        key.put("Material", Base64.getEncoder().encodeToString(material));
        save();
        ObjectNode response = JSON.createObjectNode();
        response.set("KeyMetadata", metadata(key));
        return response;
    }

    private JsonNode describeKey(JsonNode request) {
        ObjectNode response = JSON.createObjectNode();
        response.set("KeyMetadata", metadata(key(required(request, "KeyId"))));
        return response;
    }

    private JsonNode encrypt(JsonNode request) {
        JsonNode key = key(required(request, "KeyId"));
        byte[] plaintext = blob(request, "Plaintext");
        if (plaintext.length == 0 || plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new AwsJsonError("ValidationException", "Plaintext must be 1 to " + MAX_PLAINTEXT_BYTES + " bytes");
        }
        checkAlgorithm(request);
        String keyId = key.get("KeyId").asText();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, nonce, associatedData(keyId, request), plaintext, 0, plaintext.length);
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] out = ByteBuffer.allocate(2 + id.length + NONCE_BYTES + sealed.length)
                .put(BLOB_VERSION).put((byte) id.length).put(id).put(nonce).put(sealed).array();
        ObjectNode response = JSON.createObjectNode();
        response.put("CiphertextBlob", Base64.getEncoder().encodeToString(out));
        response.put("KeyId", key.get("Arn").asText());
        response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return response;
    }

    private JsonNode decrypt(JsonNode request) {
        byte[] in = blob(request, "CiphertextBlob");
        checkAlgorithm(request);
        // The header is not trusted: a forged key id either names no key or fails the tag (it is in the AAD).
        if (in.length < 2 || in[0] != BLOB_VERSION || in.length < 2 + (in[1] & 0xff) + NONCE_BYTES + 16) {
            throw invalidCiphertext();
        }
        int idLength = in[1] & 0xff;
        String keyId = new String(in, 2, idLength, StandardCharsets.US_ASCII);
        JsonNode key = keys.get(keyId);
        if (key == null) {
            throw invalidCiphertext();
        }
        String requested = optional(request, "KeyId", null);
        if (requested != null && !requested.equals(keyId) && !requested.equals(key.get("Arn").asText())) {
            throw new AwsJsonError("IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        int nonceAt = 2 + idLength;
        byte[] nonce = java.util.Arrays.copyOfRange(in, nonceAt, nonceAt + NONCE_BYTES);
        byte[] plaintext = gcm(Cipher.DECRYPT_MODE, key, nonce, associatedData(keyId, request), in,
                nonceAt + NONCE_BYTES, in.length - nonceAt - NONCE_BYTES);
        ObjectNode response = JSON.createObjectNode();
        response.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
        response.put("KeyId", key.get("Arn").asText());
        response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return response;
    }

    private static byte[] gcm(int mode, JsonNode key, byte[] nonce, byte[] associatedData, byte[] input, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(Base64.getDecoder().decode(key.get("Material").asText()), "AES"),
                    new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input, offset, length);
        } catch (javax.crypto.AEADBadTagException wrongContextOrTampered) {
            throw invalidCiphertext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Key id, then the context's entries sorted by key, each part length-prefixed. */
    private static byte[] associatedData(String keyId, JsonNode request) {
        Map<String, String> context = new TreeMap<>();
        JsonNode given = request.get("EncryptionContext");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw new AwsJsonError("ValidationException", "EncryptionContext must be a map of strings");
            }
            given.properties().forEach(entry -> context.put(entry.getKey(), entry.getValue().asText()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        appendPart(out, keyId);
        context.forEach((name, value) -> {
            appendPart(out, name);
            appendPart(out, value);
        });
        return out.toByteArray();
    }

    private static void appendPart(ByteArrayOutputStream out, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static void checkAlgorithm(JsonNode request) {
        String algorithm = optional(request, "EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        if (!algorithm.equals("SYMMETRIC_DEFAULT")) {
            throw new AwsJsonError("InvalidKeyUsageException", "only SYMMETRIC_DEFAULT locally, not " + algorithm);
        }
    }

    private static byte[] blob(JsonNode request, String member) {
        try {
            return Base64.getDecoder().decode(required(request, member));
        } catch (IllegalArgumentException e) {
            throw new AwsJsonError("SerializationException", member + " is not base64");
        }
    }

    /** The key named by its id or ARN; aliases are not supported locally. */
    private JsonNode key(String idOrArn) {
        String keyId = idOrArn.startsWith("arn:") ? idOrArn.substring(idOrArn.lastIndexOf('/') + 1) : idOrArn;
        JsonNode key = keys.get(keyId);
        if (key == null || (idOrArn.startsWith("arn:") && !key.get("Arn").asText().equals(idOrArn))) {
            throw new AwsJsonError("NotFoundException", "Key '" + idOrArn + "' does not exist");
        }
        return key;
    }

    private static ObjectNode metadata(JsonNode key) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("AWSAccountId", LocalAws.ACCOUNT_ID);
        metadata.put("KeyId", key.get("KeyId").asText());
        metadata.put("Arn", key.get("Arn").asText());
        metadata.put("CreationDate", key.get("CreationDate").asDouble());
        metadata.put("Description", key.get("Description").asText());
        metadata.put("Enabled", true);
        metadata.put("KeyState", "Enabled");
        metadata.put("KeyUsage", "ENCRYPT_DECRYPT");
        metadata.put("KeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("KeyManager", "CUSTOMER");
        metadata.put("Origin", "AWS_KMS");
        metadata.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        return metadata;
    }

    private static String arn(String keyId) {
        return "arn:aws:kms:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":key/" + keyId;
    }

    private static AwsJsonError invalidCiphertext() {
        // KMS says no more than this either: which check failed would help a forger.
        return new AwsJsonError("InvalidCiphertextException", "The ciphertext is invalid or does not match the encryption context.");
    }

    private void save() {
        // Key material is in this file.
        try {
            PrivateFiles.replace(file, JSON.writeValueAsBytes(keys));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the keys of " + file, e);
        }
    }
}
