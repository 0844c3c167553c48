/// A signal that is raised once and then stays raised: whoever waits before it is raised resumes
/// when it is, whoever waits after resumes at once.
actor OneTimeSignal {
    private var isRaised = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func raise() {
        isRaised = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        guard !isRaised else { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
