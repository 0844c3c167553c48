/* The protobuf-c side of the codec benchmarks: the same operations as the Swift codecs, on
 * messages decoded once from the bytes MedLedger's encoder produced. protobuf-c types stay behind
 * opaque pointers, so the Swift module imports this header only, not the generated ones. */
#ifndef PROTOBUF_C_PEER_H
#define PROTOBUF_C_PEER_H

#include <stddef.h>
#include <stdint.h>

/* The message types the benchmarks decode and encode. */
typedef enum {
    PBC_KIND_TRANSACTION = 0,
    PBC_KIND_PROPOSAL_RESPONSE_PAYLOAD = 1,
    PBC_KIND_ENVELOPE = 2,
    PBC_KIND_BLOCK = 3,
} PbcKind;

/* Decodes `length` bytes as `kind` with protobuf-c's default allocator; NULL if they do not parse. */
void *_Nullable pbc_unpack(PbcKind kind, const uint8_t *_Nonnull data, size_t length);

/* Frees a message returned by pbc_unpack. */
void pbc_free(PbcKind kind, void *_Nonnull message);

/* Encodes `message` into a buffer sized with get_packed_size and allocated with malloc, as an
 * application that hands the bytes on must; the caller frees *out. Returns the length. */
size_t pbc_pack(PbcKind kind, const void *_Nonnull message, uint8_t *_Nullable *_Nonnull out);

/* Decodes `length` bytes as `kind` and frees the result: one decode as the benchmark counts it.
 * Returns a value that depends on the decoded message (so the work cannot be optimised away), or
 * -1 if the bytes do not parse. */
long pbc_decode(PbcKind kind, const uint8_t *_Nonnull data, size_t length);

/* Decodes an Envelope, the Transaction in its payload and the ProposalResponsePayload of that
 * transaction's endorser transaction, as a validator must before checking the read-write set;
 * then frees all three. Returns the number of reads and writes seen, or -1. */
long pbc_decode_envelope_deep(const uint8_t *_Nonnull data, size_t length);

/* Decodes a Block and every Envelope in it as pbc_decode_envelope_deep does.
 * Returns the total number of reads and writes seen, or -1. */
long pbc_decode_block_deep(const uint8_t *_Nonnull data, size_t length);

/* Encodes a ProposalResponsePayload, puts its bytes into the Transaction's endorser transaction,
 * encodes the Transaction, puts those bytes into the Envelope's payload and encodes the Envelope:
 * what a client does to submit an endorsed transaction. Arguments come from pbc_unpack; the
 * Transaction and Envelope are left as they were. The caller frees *out. Returns the length. */
size_t pbc_encode_envelope_deep(const void *_Nonnull payload,
                                void *_Nonnull transaction,
                                void *_Nonnull envelope,
                                uint8_t *_Nullable *_Nonnull out);

#endif
