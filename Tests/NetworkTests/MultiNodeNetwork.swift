import Testing

/// Every suite of this target starts etcd clusters and node processes. They run one at a time,
/// so that what they time (failover, lease expiry, recovery) is not measured on a machine that
/// several networks starve at once.
@Suite(.serialized) enum MultiNodeNetwork {}
