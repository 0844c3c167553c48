#!/usr/bin/env python3
"""Checks an etcd v3 endpoint against MedLedger's etcd API subset (proto/etcd/), with Python grpcio.

    python3 etcd_subset_check.py --endpoint 127.0.0.1:2379 [--generated GEN] [--proto-root DIR]
        [--ca CA.pem [--cert CERT.pem --key KEY.pem]] [--timeout SECONDS]

The stubs come from the repository's proto/etcd/*.proto files (generated into a temporary
directory with grpc_tools.protoc unless --generated names an existing --python_out directory), so
a pass means the subset's field numbers and types, and its gRPC paths, agree with the server.

Exercised: Maintenance.Status and Defragment, Cluster.MemberList, KV.Put / Range / Txn (compare on
create_revision, including a key's absence as create_revision == 0) / DeleteRange / Compact,
Lease.LeaseGrant / LeaseKeepAlive (one round) / LeaseTimeToLive / LeaseRevoke, Watch (create, one
event, progress, cancel) and Election.Campaign / Leader / Proclaim / Observe / Resign. Keys live
under a fresh random prefix, so the script can be run repeatedly against the same server; note
that it compacts the history up to one of its own revisions and defragments the member.

Prints one line per check ("ok" or "FAIL" with expected and actual values) and a summary; exits 0
if every check passed and 1 otherwise (including any unexpected gRPC error).
"""

import argparse
import importlib
import os
import queue
import secrets
import shutil
import subprocess
import sys
import tempfile

import grpc

DEFAULT_PROTO_ROOT = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "proto"))
PROTOS = ["etcd/mvccpb/kv.proto", "etcd/etcdserverpb/rpc.proto", "etcd/v3electionpb/v3election.proto"]


# MARK: - Stubs

def generate_stubs(proto_root, out_dir):
    subprocess.check_call(
        [sys.executable, "-m", "grpc_tools.protoc", "-I" + proto_root,
         "--python_out=" + out_dir, "--grpc_python_out=" + out_dir] + PROTOS)


def load_stubs(generated):
    """Imports the generated modules; every generated directory becomes a regular package."""
    generated = os.path.abspath(generated)
    for root, _, _ in os.walk(generated):
        if root != generated:
            open(os.path.join(root, "__init__.py"), "a").close()
    sys.path.insert(0, generated)
    names = ["etcd.mvccpb.kv_pb2", "etcd.etcdserverpb.rpc_pb2", "etcd.etcdserverpb.rpc_pb2_grpc",
             "etcd.v3electionpb.v3election_pb2", "etcd.v3electionpb.v3election_pb2_grpc"]
    return [importlib.import_module(name) for name in names]


# MARK: - Checking

class Checker:
    def __init__(self):
        self.checks = 0
        self.failures = []

    def expect(self, description, condition, detail=""):
        self.checks += 1
        if condition:
            print("ok   " + description)
        else:
            self.failures.append(description)
            print("FAIL " + description + (": " + detail if detail else ""))
        return condition

    def equal(self, description, actual, expected):
        return self.expect(description, actual == expected, "expected %r, got %r" % (expected, actual))

    def section(self, name, body):
        print("== " + name)
        try:
            body()
        except grpc.RpcError as error:
            self.expect("%s: no unexpected gRPC error" % name, False,
                        "%s %s" % (error.code().name, error.details()))
        except Exception as error:  # a malformed response must fail the check, not crash it
            self.expect("%s: completes" % name, False, "%s: %s" % (type(error).__name__, error))


class BidiStream:
    """A bidirectional call fed from a queue: send() requests, recv() responses, close() the send side."""

    _END = object()

    def __init__(self, method, timeout):
        self._requests = queue.Queue()
        self._call = method(iter(self._requests.get, self._END), timeout=timeout)

    def send(self, request):
        self._requests.put(request)

    def recv(self):
        return next(self._call)

    def close(self):
        self._requests.put(self._END)
        self._call.cancel()


def run(args, kv_pb2, rpc_pb2, rpc_grpc, election_pb2, election_grpc):
    if args.ca:
        def read(path):
            with open(path, "rb") as f:
                return f.read()
        credentials = grpc.ssl_channel_credentials(
            read(args.ca), read(args.key) if args.key else None, read(args.cert) if args.cert else None)
        channel = grpc.secure_channel(args.endpoint, credentials)
    else:
        channel = grpc.insecure_channel(args.endpoint)
    grpc.channel_ready_future(channel).result(timeout=args.timeout)

    t = args.timeout
    kv = rpc_grpc.KVStub(channel)
    watch = rpc_grpc.WatchStub(channel)
    lease = rpc_grpc.LeaseStub(channel)
    cluster = rpc_grpc.ClusterStub(channel)
    maintenance = rpc_grpc.MaintenanceStub(channel)
    election = election_grpc.ElectionStub(channel)

    c = Checker()
    prefix = b"/medledger-etcd-subset-check/" + secrets.token_hex(6).encode() + b"/"
    state = {}

    def key(name):
        return prefix + name

    def check_header(where, header, revision=True):
        """The ResponseHeader every call returns; etcd 3.4's Cluster service leaves revision 0."""
        if "cluster_id" not in state:
            return
        c.equal(where + ": header.cluster_id is the Status cluster_id", header.cluster_id, state["cluster_id"])
        c.equal(where + ": header.member_id is the Status member_id", header.member_id, state["member_id"])
        if revision:
            c.expect(where + ": header.revision > 0", header.revision > 0, "got %d" % header.revision)
        c.expect(where + ": header.raft_term >= 1", header.raft_term >= 1, "got %d" % header.raft_term)

    # -- Maintenance.Status
    def status():
        r = maintenance.Status(rpc_pb2.StatusRequest(), timeout=t)
        c.expect("Status: header.cluster_id != 0", r.header.cluster_id != 0)
        c.expect("Status: header.member_id != 0", r.header.member_id != 0)
        state["cluster_id"], state["member_id"] = r.header.cluster_id, r.header.member_id
        check_header("Status", r.header)
        parts = r.version.split(".")
        c.expect("Status: version %r looks like X.Y.Z" % r.version,
                 len(parts) == 3 and all(p.isdigit() for p in parts))
        c.expect("Status: leader != 0", r.leader != 0, "got %d" % r.leader)
        c.expect("Status: dbSize > 0", r.dbSize > 0, "got %d" % r.dbSize)
        c.expect("Status: 0 < dbSizeInUse <= dbSize", 0 < r.dbSizeInUse <= r.dbSize,
                 "dbSizeInUse %d, dbSize %d" % (r.dbSizeInUse, r.dbSize))
        c.expect("Status: raftIndex > 0", r.raftIndex > 0, "got %d" % r.raftIndex)
        c.expect("Status: raftAppliedIndex > 0", r.raftAppliedIndex > 0, "got %d" % r.raftAppliedIndex)
        c.expect("Status: raftTerm >= 1", r.raftTerm >= 1, "got %d" % r.raftTerm)
        c.equal("Status: errors", list(r.errors), [])
        c.equal("Status: isLearner", r.isLearner, False)
        state["leader"] = r.leader
        print("     (version %s, cluster %x, member %x, leader %x, raft index %d, db %d bytes)"
              % (r.version, r.header.cluster_id, r.header.member_id, r.leader, r.raftIndex, r.dbSize))

    c.section("Maintenance.Status", status)
    if "cluster_id" not in state:
        return c

    # -- Cluster.MemberList
    def member_list():
        r = cluster.MemberList(rpc_pb2.MemberListRequest(), timeout=t)
        check_header("MemberList", r.header, revision=False)
        c.expect("MemberList: at least one member", len(r.members) >= 1)
        members = {m.ID: m for m in r.members}
        me = members.get(state["member_id"])
        if c.expect("MemberList: lists the answering member", me is not None):
            c.expect("MemberList: member name is set", me.name != "")
            c.expect("MemberList: member has peerURLs", len(me.peerURLs) >= 1)
            c.expect("MemberList: a clientURL of the member ends with %s" % args.endpoint,
                     any(u.rstrip("/").endswith(args.endpoint) for u in me.clientURLs), repr(list(me.clientURLs)))
            c.equal("MemberList: member isLearner", me.isLearner, False)
            print("     (%d member(s); this one %r, peers %s, clients %s)"
                  % (len(r.members), me.name, list(me.peerURLs), list(me.clientURLs)))
        c.expect("MemberList: the Status leader is a member", state["leader"] in members)

    c.section("Cluster.MemberList", member_list)

    # -- KV.Put and KV.Range
    def put_range():
        r1 = kv.Put(rpc_pb2.PutRequest(key=key(b"a"), value=b"value-a1"), timeout=t)
        check_header("Put a", r1.header)
        c.expect("Put a (no prev_kv asked): no prev_kv", not r1.HasField("prev_kv"))
        rev_a = r1.header.revision
        state["rev_a"] = rev_a
        r2 = kv.Put(rpc_pb2.PutRequest(key=key(b"a"), value=b"value-a2", prev_kv=True), timeout=t)
        c.equal("Put a again: revision is the next one", r2.header.revision, rev_a + 1)
        c.equal("Put a again with prev_kv: prev_kv.value", r2.prev_kv.value, b"value-a1")
        c.equal("Put a again with prev_kv: prev_kv.mod_revision", r2.prev_kv.mod_revision, rev_a)
        r3 = kv.Put(rpc_pb2.PutRequest(key=key(b"b"), value=b"value-b"), timeout=t)
        state["rev_b"] = r3.header.revision

        g = kv.Range(rpc_pb2.RangeRequest(key=key(b"a")), timeout=t)
        check_header("Range a", g.header)
        c.equal("Range a: header.revision is the store's newest", g.header.revision, r3.header.revision)
        c.equal("Range a: count", g.count, 1)
        if c.equal("Range a: one kv", len(g.kvs), 1):
            a = g.kvs[0]
            c.equal("Range a: key", a.key, key(b"a"))
            c.equal("Range a: value", a.value, b"value-a2")
            c.equal("Range a: create_revision", a.create_revision, rev_a)
            c.equal("Range a: mod_revision", a.mod_revision, rev_a + 1)
            c.equal("Range a: version", a.version, 2)
            c.equal("Range a: lease", a.lease, 0)
        c.equal("Range a: more", g.more, False)

        old = kv.Range(rpc_pb2.RangeRequest(key=key(b"a"), revision=rev_a), timeout=t)
        c.equal("Range a at revision rev_a: the first value", [kv_.value for kv_ in old.kvs], [b"value-a1"])

        end = prefix[:-1] + bytes([prefix[-1] + 1])
        p = kv.Range(rpc_pb2.RangeRequest(
            key=prefix, range_end=end, sort_order=rpc_pb2.RangeRequest.DESCEND,
            sort_target=rpc_pb2.RangeRequest.KEY), timeout=t)
        c.equal("Range prefix sorted DESCEND by KEY: keys", [x.key for x in p.kvs], [key(b"b"), key(b"a")])
        n = kv.Range(rpc_pb2.RangeRequest(key=prefix, range_end=end, count_only=True), timeout=t)
        c.equal("Range prefix count_only: count", n.count, 2)
        c.equal("Range prefix count_only: no kvs", len(n.kvs), 0)
        lim = kv.Range(rpc_pb2.RangeRequest(key=prefix, range_end=end, limit=1, keys_only=True), timeout=t)
        c.equal("Range prefix limit 1 keys_only: keys", [(x.key, x.value) for x in lim.kvs], [(key(b"a"), b"")])
        c.equal("Range prefix limit 1: more", lim.more, True)
        c.equal("Range prefix limit 1: count is the whole range", lim.count, 2)

    c.section("KV.Put / KV.Range", put_range)

    # -- KV.Txn
    def txn():
        if "rev_a" not in state:
            c.expect("Txn: needs the keys written by Put", False)
            return
        cmp_created = rpc_pb2.Compare(result=rpc_pb2.Compare.EQUAL, target=rpc_pb2.Compare.CREATE,
                                      key=key(b"a"), create_revision=state["rev_a"])
        r = kv.Txn(rpc_pb2.TxnRequest(
            compare=[cmp_created],
            success=[rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=key(b"a"), value=b"value-a3")),
                     rpc_pb2.RequestOp(request_range=rpc_pb2.RangeRequest(key=key(b"a")))],
            failure=[]), timeout=t)
        check_header("Txn create_revision == rev_a", r.header)
        c.equal("Txn create_revision == rev_a: succeeded", r.succeeded, True)
        c.equal("Txn create_revision == rev_a: response kinds",
                [x.WhichOneof("response") for x in r.responses], ["response_put", "response_range"])
        if len(r.responses) == 2:
            c.equal("Txn create_revision == rev_a: put's revision is the txn's",
                    r.responses[0].response_put.header.revision, r.header.revision)
            c.equal("Txn create_revision == rev_a: range sees the put",
                    [x.value for x in r.responses[1].response_range.kvs], [b"value-a3"])

        wrong = rpc_pb2.Compare(result=rpc_pb2.Compare.EQUAL, target=rpc_pb2.Compare.CREATE,
                                key=key(b"a"), create_revision=state["rev_a"] + 1000)
        r = kv.Txn(rpc_pb2.TxnRequest(
            compare=[wrong],
            success=[rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=key(b"a"), value=b"wrong"))],
            failure=[rpc_pb2.RequestOp(request_range=rpc_pb2.RangeRequest(key=key(b"a")))]), timeout=t)
        c.equal("Txn create_revision == rev_a+1000: succeeded", r.succeeded, False)
        c.equal("Txn create_revision == rev_a+1000: failure branch ran",
                [x.WhichOneof("response") for x in r.responses], ["response_range"])
        if r.responses:
            c.equal("Txn create_revision == rev_a+1000: value unchanged",
                    [x.value for x in r.responses[0].response_range.kvs], [b"value-a3"])

        def create_if_absent(value):
            absent = rpc_pb2.Compare(result=rpc_pb2.Compare.EQUAL, target=rpc_pb2.Compare.CREATE,
                                     key=key(b"lock"), create_revision=0)
            return kv.Txn(rpc_pb2.TxnRequest(
                compare=[absent],
                success=[rpc_pb2.RequestOp(request_put=rpc_pb2.PutRequest(key=key(b"lock"), value=value))],
                failure=[rpc_pb2.RequestOp(request_range=rpc_pb2.RangeRequest(key=key(b"lock")))]), timeout=t)

        first = create_if_absent(b"holder-1")
        c.equal("Txn lock absent (create_revision == 0): succeeded", first.succeeded, True)
        c.equal("Txn lock absent: put ran", [x.WhichOneof("response") for x in first.responses], ["response_put"])
        second = create_if_absent(b"holder-2")
        c.equal("Txn lock absent again (now present): succeeded", second.succeeded, False)
        held = [x.response_range.kvs for x in second.responses if x.WhichOneof("response") == "response_range"]
        if c.equal("Txn lock absent again: failure range ran", len(held), 1):
            c.equal("Txn lock absent again: holder", [x.value for x in held[0]], [b"holder-1"])
            c.equal("Txn lock absent again: lock's create_revision is the first txn's",
                    [x.create_revision for x in held[0]], [first.header.revision])

        by_value = rpc_pb2.Compare(result=rpc_pb2.Compare.NOT_EQUAL, target=rpc_pb2.Compare.VALUE,
                                   key=key(b"a"), value=b"value-a3")
        r = kv.Txn(rpc_pb2.TxnRequest(compare=[by_value]), timeout=t)
        c.equal("Txn value != current value: succeeded", r.succeeded, False)
        end = prefix[:-1] + bytes([prefix[-1] + 1])
        by_range = rpc_pb2.Compare(result=rpc_pb2.Compare.GREATER, target=rpc_pb2.Compare.VERSION,
                                   key=prefix, range_end=end, version=0)
        r = kv.Txn(rpc_pb2.TxnRequest(compare=[by_range]), timeout=t)
        c.equal("Txn version > 0 over the prefix (range_end, field 64): succeeded", r.succeeded, True)

    c.section("KV.Txn", txn)

    # -- Lease
    def leases():
        g = lease.LeaseGrant(rpc_pb2.LeaseGrantRequest(TTL=60), timeout=t)
        check_header("LeaseGrant", g.header)
        c.expect("LeaseGrant: ID != 0", g.ID != 0)
        c.equal("LeaseGrant: TTL", g.TTL, 60)
        c.equal("LeaseGrant: error", g.error, "")
        lease_id = g.ID

        p = kv.Put(rpc_pb2.PutRequest(key=key(b"leased"), value=b"v", lease=lease_id), timeout=t)
        check_header("Put with lease", p.header)
        r = kv.Range(rpc_pb2.RangeRequest(key=key(b"leased")), timeout=t)
        c.equal("Range leased key: lease", [x.lease for x in r.kvs], [lease_id])

        stream = BidiStream(lease.LeaseKeepAlive, t)
        try:
            stream.send(rpc_pb2.LeaseKeepAliveRequest(ID=lease_id))
            k = stream.recv()
        finally:
            stream.close()
        check_header("LeaseKeepAlive", k.header)
        c.equal("LeaseKeepAlive: ID", k.ID, lease_id)
        c.equal("LeaseKeepAlive: TTL renewed to the granted TTL", k.TTL, 60)

        ttl = lease.LeaseTimeToLive(rpc_pb2.LeaseTimeToLiveRequest(ID=lease_id, keys=True), timeout=t)
        check_header("LeaseTimeToLive", ttl.header)
        c.equal("LeaseTimeToLive: ID", ttl.ID, lease_id)
        c.equal("LeaseTimeToLive: grantedTTL", ttl.grantedTTL, 60)
        c.expect("LeaseTimeToLive: 0 < TTL <= 60", 0 < ttl.TTL <= 60, "got %d" % ttl.TTL)
        c.equal("LeaseTimeToLive: keys", list(ttl.keys), [key(b"leased")])

        rv = lease.LeaseRevoke(rpc_pb2.LeaseRevokeRequest(ID=lease_id), timeout=t)
        check_header("LeaseRevoke", rv.header)
        gone = kv.Range(rpc_pb2.RangeRequest(key=key(b"leased")), timeout=t)
        c.equal("Range leased key after LeaseRevoke: count", gone.count, 0)
        after = lease.LeaseTimeToLive(rpc_pb2.LeaseTimeToLiveRequest(ID=lease_id), timeout=t)
        c.equal("LeaseTimeToLive after LeaseRevoke: TTL", after.TTL, -1)

    c.section("Lease", leases)

    # -- Watch
    def watches():
        kv.Put(rpc_pb2.PutRequest(key=key(b"watched"), value=b"before"), timeout=t)
        stream = BidiStream(watch.Watch, t)
        try:
            stream.send(rpc_pb2.WatchRequest(create_request=rpc_pb2.WatchCreateRequest(
                key=key(b"watched"), prev_kv=True, filters=[rpc_pb2.WatchCreateRequest.NODELETE])))
            created = stream.recv()
            check_header("Watch create", created.header)
            c.equal("Watch create: created", created.created, True)
            c.equal("Watch create: no events", len(created.events), 0)
            watch_id = created.watch_id

            put = kv.Put(rpc_pb2.PutRequest(key=key(b"watched"), value=b"after"), timeout=t)
            kv.DeleteRange(rpc_pb2.DeleteRangeRequest(key=key(b"watched")), timeout=t)  # filtered out
            kv.Put(rpc_pb2.PutRequest(key=key(b"watched"), value=b"again"), timeout=t)
            got = stream.recv()
            check_header("Watch event", got.header)
            c.equal("Watch event: watch_id", got.watch_id, watch_id)
            c.expect("Watch event: at least one event", len(got.events) >= 1)
            if got.events:
                e = got.events[0]
                c.equal("Watch event: type", kv_pb2.Event.EventType.Name(e.type), "PUT")
                c.equal("Watch event: kv.key", e.kv.key, key(b"watched"))
                c.equal("Watch event: kv.value", e.kv.value, b"after")
                c.equal("Watch event: kv.mod_revision", e.kv.mod_revision, put.header.revision)
                c.equal("Watch event: prev_kv.value", e.prev_kv.value, b"before")
                events = list(got.events)
                while len(events) < 2:
                    events += list(stream.recv().events)
                c.equal("Watch with NODELETE: the next event is the re-put, not the delete",
                        [(kv_pb2.Event.EventType.Name(x.type), x.kv.value) for x in events[:2]],
                        [("PUT", b"after"), ("PUT", b"again")])

            stream.send(rpc_pb2.WatchRequest(progress_request=rpc_pb2.WatchProgressRequest()))
            progress = stream.recv()
            c.equal("Watch progress: no events", len(progress.events), 0)
            c.expect("Watch progress: header.revision >= the put's", progress.header.revision >= put.header.revision,
                     "got %d" % progress.header.revision)

            stream.send(rpc_pb2.WatchRequest(cancel_request=rpc_pb2.WatchCancelRequest(watch_id=watch_id)))
            canceled = stream.recv()
            c.equal("Watch cancel: canceled", canceled.canceled, True)
            c.equal("Watch cancel: watch_id", canceled.watch_id, watch_id)
        finally:
            stream.close()

    c.section("Watch", watches)

    # -- Election
    def elections():
        g = lease.LeaseGrant(rpc_pb2.LeaseGrantRequest(TTL=60), timeout=t)
        name = prefix + b"election"
        r = election.Campaign(election_pb2.CampaignRequest(name=name, lease=g.ID, value=b"candidate-1"), timeout=t)
        check_header("Campaign", r.header)
        leader = r.leader
        c.equal("Campaign: leader.name", leader.name, name)
        c.expect("Campaign: leader.key is under name/", leader.key.startswith(name + b"/"), repr(leader.key))
        c.expect("Campaign: leader.rev > 0", leader.rev > 0)
        c.equal("Campaign: leader.lease", leader.lease, g.ID)

        l1 = election.Leader(election_pb2.LeaderRequest(name=name), timeout=t)
        check_header("Leader", l1.header)
        c.equal("Leader: kv.key", l1.kv.key, leader.key)
        c.equal("Leader: kv.value", l1.kv.value, b"candidate-1")
        c.equal("Leader: kv.create_revision is leader.rev", l1.kv.create_revision, leader.rev)
        c.equal("Leader: kv.lease", l1.kv.lease, g.ID)

        p = election.Proclaim(election_pb2.ProclaimRequest(leader=leader, value=b"proclaimed"), timeout=t)
        check_header("Proclaim", p.header)
        l2 = election.Leader(election_pb2.LeaderRequest(name=name), timeout=t)
        c.equal("Leader after Proclaim: kv.value", l2.kv.value, b"proclaimed")

        observe = election.Observe(election_pb2.LeaderRequest(name=name), timeout=t)
        try:
            o = next(observe)
            c.equal("Observe: first response is the current leader's value", (o.kv.key, o.kv.value),
                    (leader.key, b"proclaimed"))
        finally:
            observe.cancel()

        s = election.Resign(election_pb2.ResignRequest(leader=leader), timeout=t)
        check_header("Resign", s.header)
        left = kv.Range(rpc_pb2.RangeRequest(key=leader.key), timeout=t)
        c.equal("Range leader key after Resign: count", left.count, 0)
        try:
            election.Leader(election_pb2.LeaderRequest(name=name), timeout=t)
            c.expect("Leader after Resign: fails (no leader)", False, "it answered")
        except grpc.RpcError as error:
            c.expect("Leader after Resign: fails with 'no leader'", "no leader" in (error.details() or ""),
                     "%s %s" % (error.code().name, error.details()))
        lease.LeaseRevoke(rpc_pb2.LeaseRevokeRequest(ID=g.ID), timeout=t)

    c.section("Election", elections)

    # -- DeleteRange, Compact, Defragment
    def cleanup():
        end = prefix[:-1] + bytes([prefix[-1] + 1])
        before = kv.Range(rpc_pb2.RangeRequest(key=prefix, range_end=end, keys_only=True), timeout=t)
        d = kv.DeleteRange(rpc_pb2.DeleteRangeRequest(key=prefix, range_end=end, prev_kv=True), timeout=t)
        check_header("DeleteRange prefix", d.header)
        c.equal("DeleteRange prefix: deleted", d.deleted, before.count)
        c.equal("DeleteRange prefix with prev_kv: prev_kvs keys",
                sorted(x.key for x in d.prev_kvs), sorted(x.key for x in before.kvs))
        left = kv.Range(rpc_pb2.RangeRequest(key=prefix, range_end=end, count_only=True), timeout=t)
        c.equal("Range prefix after DeleteRange: count", left.count, 0)

        if "rev_b" in state:
            k = kv.Compact(rpc_pb2.CompactionRequest(revision=state["rev_b"], physical=True), timeout=t)
            check_header("Compact", k.header)
            try:
                kv.Range(rpc_pb2.RangeRequest(key=key(b"a"), revision=state["rev_a"]), timeout=t)
                c.expect("Range at a compacted revision: fails", False, "it answered")
            except grpc.RpcError as error:
                c.equal("Range at a compacted revision: status", error.code(), grpc.StatusCode.OUT_OF_RANGE)
        f = maintenance.Defragment(rpc_pb2.DefragmentRequest(), timeout=max(t, 30))
        c.expect("Defragment: answered", True)
        if f.HasField("header"):  # etcd 3.4 answers with an empty DefragmentResponse
            check_header("Defragment", f.header)

    c.section("KV.DeleteRange / KV.Compact / Maintenance.Defragment", cleanup)
    channel.close()
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="HOST:PORT of the etcd client endpoint")
    parser.add_argument("--generated", help="an existing grpc_tools.protoc --python_out/--grpc_python_out directory")
    parser.add_argument("--proto-root", default=DEFAULT_PROTO_ROOT, help="the repository's proto/ (default: %(default)s)")
    parser.add_argument("--ca", help="PEM CA certificate: use TLS")
    parser.add_argument("--cert", help="PEM client certificate (with --ca)")
    parser.add_argument("--key", help="PEM client key (with --ca)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per call (default: %(default)s)")
    args = parser.parse_args()

    temporary = None
    try:
        generated = args.generated
        if generated is None:
            temporary = tempfile.mkdtemp(prefix="etcd-subset-pb2-")
            generate_stubs(args.proto_root, temporary)
            generated = temporary
        modules = load_stubs(generated)
        print("endpoint %s, stubs from %s" % (args.endpoint, args.generated or args.proto_root))
        try:
            c = run(args, *modules)
        except grpc.FutureTimeoutError:
            print("FAIL could not connect to %s within %.0f s" % (args.endpoint, args.timeout))
            sys.exit(1)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    print("%d checks, %d failed" % (c.checks, len(c.failures)))
    for failure in c.failures:
        print("  failed: " + failure)
    sys.exit(1 if c.failures else 0)


if __name__ == "__main__":
    main()
