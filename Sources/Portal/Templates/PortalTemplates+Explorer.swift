extension PortalTemplates {
    static let explorer = """
        {{<layout}}{{$content}}
        <table id="channels">
        <caption>Channels</caption>
        <thead><tr><th scope="col">Channel</th><th scope="col">Height (blocks)</th></tr></thead>
        <tbody>
        {{#channels}}<tr><td><a href="/explorer/{{path}}">{{name}}</a></td><td>{{height}}</td></tr>
        {{/channels}}
        </tbody>
        </table>
        {{/content}}{{/layout}}
        """

    static let channel = """
        {{<layout}}{{$content}}
        <p>Height {{height}}. Transactions show who called which function, never their arguments or any health data.</p>
        <figure>
        <svg id="activity" role="img" aria-labelledby="chart-title" viewBox="0 0 {{chart.width}} {{chart.height}}" width="100%" height="{{chart.height}}">
        <title id="chart-title">{{chart.title}}</title>
        <line x1="40" y1="{{chart.baseline}}" x2="{{chart.right}}" y2="{{chart.baseline}}" stroke="#555"/>
        {{#chart.bars}}<rect x="{{x}}" y="{{txY}}" width="{{width}}" height="{{txHeight}}" fill="#2b6cb0"><title>{{label}}: {{transactions}} transactions in {{blocks}} blocks</title></rect>
        <rect x="{{x}}" y="{{blockY}}" width="{{width}}" height="2" fill="#c05621"/>
        {{/chart.bars}}
        {{#chart.ticks}}<text x="{{x}}" y="{{y}}" font-size="11" fill="#222">{{label}}</text>{{/chart.ticks}}
        <text x="2" y="14" font-size="11" fill="#222">{{chart.maximum}}</text>
        </svg>
        <figcaption>Transactions (bars) and blocks (marks) per minute, {{chart.title}}.</figcaption>
        </figure>
        <form method="post" action="/explorer/{{path}}/verify" id="verify-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="verify">Verify the chain of {{name}}</button>
        </form>
        <table id="blocks">
        <caption>Blocks {{first}}–{{last}} of {{name}}</caption>
        <thead><tr><th scope="col">Block</th><th scope="col">Time</th><th scope="col">Transactions</th><th scope="col">Valid</th><th scope="col">Hash</th><th scope="col">Previous hash</th></tr></thead>
        <tbody>
        {{#blocks}}<tr><td><a href="/explorer/{{path}}/blocks/{{number}}">{{number}}</a></td><td>{{time}}</td><td>{{transactions}}</td><td>{{valid}}</td><td><code title="{{hash}}">{{shortHash}}</code></td><td><code title="{{previousHash}}">{{shortPrevious}}</code></td></tr>
        {{/blocks}}
        </tbody>
        </table>
        <nav aria-label="Pages">{{#newer}}<a href="/explorer/{{path}}?before={{newer}}">Newer blocks</a> {{/newer}}{{#older}}<a href="/explorer/{{path}}?before={{older}}">Older blocks</a>{{/older}}</nav>
        {{/content}}{{/layout}}
        """

    static let block = """
        {{<layout}}{{$content}}
        <dl class="meta">
        <dt>Channel</dt><dd><a href="/explorer/{{path}}">{{name}}</a></dd><dt>Time</dt><dd>{{time}}</dd>
        <dt>Hash</dt><dd><code>{{hash}}</code></dd><dt>Previous hash</dt><dd><code>{{previousHash}}</code></dd><dt>Data hash</dt><dd><code>{{dataHash}}</code></dd>
        </dl>
        <table id="transactions">
        <caption>Transactions of block {{number}}</caption>
        <thead><tr><th scope="col">Transaction</th><th scope="col">Creator</th><th scope="col">Contract</th><th scope="col">Function</th><th scope="col">Validation</th><th scope="col">Endorsers</th><th scope="col">Keys written</th></tr></thead>
        <tbody>
        {{#transactions}}<tr class="{{codeClass}}"><td><code title="{{txID}}">{{shortID}}</code></td><td>{{creator}}</td><td>{{contract}}</td><td>{{function}}</td><td>{{code}}</td><td>{{endorsers}}</td><td><ul class="keys">{{#keys}}<li><code>{{.}}</code></li>{{/keys}}</ul></td></tr>
        {{/transactions}}
        </tbody>
        </table>
        {{/content}}{{/layout}}
        """

    static let verify = """
        {{<layout}}{{$content}}
        <p>The portal streams every block of {{name}} over Deliver and re-verifies it here: header chain, data hash, the orderer's signature, every transaction's signatures and endorsement policy, validation codes and state.</p>
        <label for="verify-progress">Blocks verified</label>
        <progress id="verify-progress" max="{{total}}" value="{{done}}">{{done}} of {{total}}</progress> <span>{{done}} of {{total}}</span>
        {{#running}}<p role="status">Verifying…</p>{{/running}}
        {{#passed}}<p class="decision permit" id="verify-result" role="status">Verified: {{height}} blocks, {{transactions}} transactions ({{validTransactions}} valid). Genesis <code>{{genesisHash}}</code>, tip <code>{{tipHash}}</code>.</p>{{/passed}}
        {{#failure}}<p class="decision deny" id="verify-result" role="alert">Verification failed: {{failure}}</p>{{/failure}}
        <p><a href="/explorer/{{path}}">Back to {{name}}</a></p>
        {{/content}}{{/layout}}
        """
}
