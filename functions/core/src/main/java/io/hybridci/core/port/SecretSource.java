package io.hybridci.core.port;

import java.util.List;

/** Reads the control plane's own secrets (webhook secret, admin token), with caching by the adapter. */
public interface SecretSource {

    /** The webhook secrets that verify a delivery now: current, and pending during a rotation. */
    List<String> webhookSecrets();

    /** SHA-256 hashes of the admin tokens accepted for the user API. */
    List<String> adminTokenHashes();
}
