"""The archive's writes: capture, watch (and the telling of a change), attest, integrity."""
