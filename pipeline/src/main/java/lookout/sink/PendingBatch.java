package lookout.sink;

import lookout.schema.SinkBatch;

/**
 * A sink's committable: a batch on its way to the committer, with the digest the commit ledger knows it by
 * ({@link BatchDigest}). The digest travels with the batch because a later build, reading the batch from a checkpoint
 * under another schema, would encode it otherwise and could not compute it again.
 */
record PendingBatch(SinkBatch batch, String digest) {
    /** A batch this build made. */
    static PendingBatch of(SinkBatch batch) {
        return new PendingBatch(batch, BatchDigest.of(PendingBatchSerializer.encode(batch)));
    }
}
