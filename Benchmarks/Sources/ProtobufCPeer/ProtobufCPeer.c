#include "ProtobufCPeer.h"

#include <stdlib.h>

#include "medledger/v1/block.pb-c.h"
#include "medledger/v1/ledger.pb-c.h"

static const ProtobufCMessageDescriptor *descriptor(PbcKind kind) {
    switch (kind) {
    case PBC_KIND_TRANSACTION: return &medledger__v1__transaction__descriptor;
    case PBC_KIND_PROPOSAL_RESPONSE_PAYLOAD: return &medledger__v1__proposal_response_payload__descriptor;
    case PBC_KIND_ENVELOPE: return &medledger__v1__envelope__descriptor;
    case PBC_KIND_BLOCK: return &medledger__v1__block__descriptor;
    }
    abort();
}

void *pbc_unpack(PbcKind kind, const uint8_t *data, size_t length) {
    return protobuf_c_message_unpack(descriptor(kind), NULL, length, data);
}

void pbc_free(PbcKind kind, void *message) {
    (void)kind;
    protobuf_c_message_free_unpacked(message, NULL);
}

size_t pbc_pack(PbcKind kind, const void *message, uint8_t **out) {
    (void)kind;
    const ProtobufCMessage *m = message;
    size_t size = protobuf_c_message_get_packed_size(m);
    *out = malloc(size ? size : 1);
    return protobuf_c_message_pack(m, *out);
}

long pbc_decode(PbcKind kind, const uint8_t *data, size_t length) {
    ProtobufCMessage *m = protobuf_c_message_unpack(descriptor(kind), NULL, length, data);
    if (m == NULL) return -1;
    long result = (long)m->descriptor->n_fields;
    protobuf_c_message_free_unpacked(m, NULL);
    return result;
}

long pbc_decode_envelope_deep(const uint8_t *data, size_t length) {
    Medledger__V1__Envelope *envelope = medledger__v1__envelope__unpack(NULL, length, data);
    if (envelope == NULL) return -1;
    long seen = -1;
    Medledger__V1__Transaction *tx =
        medledger__v1__transaction__unpack(NULL, envelope->payload.len, envelope->payload.data);
    if (tx != NULL && tx->body_case == MEDLEDGER__V1__TRANSACTION__BODY_ENDORSER_TRANSACTION) {
        ProtobufCBinaryData bytes = tx->endorser_transaction->proposal_response_payload;
        Medledger__V1__ProposalResponsePayload *prp =
            medledger__v1__proposal_response_payload__unpack(NULL, bytes.len, bytes.data);
        if (prp != NULL) {
            seen = 0;
            for (size_t i = 0; i < prp->n_results; i++) {
                seen += (long)(prp->results[i]->n_reads + prp->results[i]->n_writes);
            }
            medledger__v1__proposal_response_payload__free_unpacked(prp, NULL);
        }
    }
    if (tx != NULL) medledger__v1__transaction__free_unpacked(tx, NULL);
    medledger__v1__envelope__free_unpacked(envelope, NULL);
    return seen;
}

long pbc_decode_block_deep(const uint8_t *data, size_t length) {
    Medledger__V1__Block *block = medledger__v1__block__unpack(NULL, length, data);
    if (block == NULL) return -1;
    long seen = 0;
    if (block->data != NULL) {
        for (size_t i = 0; i < block->data->n_data && seen >= 0; i++) {
            long one = pbc_decode_envelope_deep(block->data->data[i].data, block->data->data[i].len);
            seen = one < 0 ? -1 : seen + one;
        }
    }
    medledger__v1__block__free_unpacked(block, NULL);
    return seen;
}

size_t pbc_encode_envelope_deep(const void *payload, void *transaction, void *envelope, uint8_t **out) {
    Medledger__V1__Transaction *tx = transaction;
    Medledger__V1__Envelope *env = envelope;
    uint8_t *payload_bytes;
    size_t payload_length = pbc_pack(PBC_KIND_PROPOSAL_RESPONSE_PAYLOAD, payload, &payload_bytes);

    ProtobufCBinaryData saved_payload = tx->endorser_transaction->proposal_response_payload;
    tx->endorser_transaction->proposal_response_payload.data = payload_bytes;
    tx->endorser_transaction->proposal_response_payload.len = payload_length;
    uint8_t *tx_bytes;
    size_t tx_length = pbc_pack(PBC_KIND_TRANSACTION, tx, &tx_bytes);
    tx->endorser_transaction->proposal_response_payload = saved_payload;
    free(payload_bytes);

    ProtobufCBinaryData saved_envelope = env->payload;
    env->payload.data = tx_bytes;
    env->payload.len = tx_length;
    size_t length = pbc_pack(PBC_KIND_ENVELOPE, env, out);
    env->payload = saved_envelope;
    free(tx_bytes);
    return length;
}
