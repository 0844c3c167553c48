#!/usr/bin/env python3
"""A FHIR Bulk Data (v2.0.0) client that authorizes as a SMART v2 Backend Service.

Written from the public standards alone, not from MedLedger's server:

* SMART App Launch v2, "Backend Services": the token endpoint comes from
  `GET {base}/.well-known/smart-configuration`; the client authenticates with the
  client_credentials grant and an RFC 7523 `client_assertion` (a JWT signed with its private key;
  header `alg`, `kid`, `typ: JWT`; claims `iss` = `sub` = client_id, `aud` = token endpoint,
  `exp` at most five minutes ahead, a fresh `jti`).
* FHIR Bulk Data Access v2.0.0: kick-off `GET {base}/Group/{id}/$export` with
  `Accept: application/fhir+json` and `Prefer: respond-async` (202 + `Content-Location`), status
  polling (202 with optional `X-Progress` and `Retry-After`, 200 with the manifest), file download
  (`Accept: application/fhir+ndjson`, bearer token when `requiresAccessToken` is true) and
  `DELETE` of the status URL.

TLS is always verified, against the PEM root given with --ca. Subcommands:

    python3 bulk_client.py keygen --alg ES384 --kid KID --out DIR
    python3 bulk_client.py export --base https://127.0.0.1:PORT/fhir --ca ca.pem \\
        --client-id ID --key DIR/private.jwk.json --group GROUP --out FILES \\
        [--type Patient --type Observation] [--since INSTANT] [--scope SCOPE] [--timeout 120] \\
        [--validator validate_fhir.py]
    python3 bulk_client.py badcases --base URL --ca ca.pem --client-id ID --key PRIVATE_JWK \\
        --other-key OTHER_PRIVATE_JWK --group GROUP --other-group OTHER_GROUP

keygen writes DIR/private.jwk.json (mode 0600) and DIR/jwks.json (public members only) and prints
{"kid", "alg", "jwks", "private"}.

export prints {"smartConfiguration", "capabilityStatement": {"status", "contentType", "body"}, "token": {"status", "token_type", "expires_in", "scope",
"error"}, "kickoff": {"status", "contentLocation", "contentType", "body", "url"}, "progress",
"manifest", "files": [{"index", "url", "type", "count", "lines", "countMatches", "path", "status",
"contentType", "validation"}], "errorFiles": [same shape], "delete": {"status", "statusAfter",
"fileAfter"}, "error"}. Files are named {index}-{type}.ndjson (index = position in the manifest's
`output`), error files error-{index}-{type}.ndjson. "error" is null when every step ran, otherwise
{"stage", ...} saying where the export stopped; the job is deleted whenever a status URL was given.

badcases prints {"cases": {NAME: {"status", "contentType", "body", "wwwAuthenticate"}}, "error"};
the case replayedJti is {"first": {...}, "second": {...}}.

Exit status 0 whenever one JSON object was printed, whatever the server answered; 1 (message on
stderr, nothing on stdout) if the invocation is wrong or the network fails. Access tokens and
private keys are never printed.
"""

import argparse
import email.utils
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse

import requests
from jwcrypto import jwk, jwt

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DEFAULT_SCOPE = "system/*.rs"
FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"
ASSERTION_LIFETIME = 300  # SMART: exp no more than five minutes in the future
HTTP_TIMEOUT = 30.0  # seconds, each HTTP request
MAX_SLEEP = 2.0  # longest single wait between status polls, whatever Retry-After says
DEFAULT_SLEEP = 0.5  # wait between polls when the server gives no Retry-After
MIN_SLEEP = 0.1
VALIDATOR_TIMEOUT = 600.0
SECRET_FIELDS = ("access_token", "refresh_token", "id_token")
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")

# alg -> parameters of jwcrypto.jwk.JWK.generate
ALGORITHMS = {
    "ES384": {"kty": "EC", "crv": "P-384"},
    "ES256": {"kty": "EC", "crv": "P-256"},
    "RS384": {"kty": "RSA", "size": 2048},
}


class Failure(Exception):
    """The invocation itself is wrong (bad file, bad key): exit 1 with the message on stderr."""


# --- keys --------------------------------------------------------------------------------------

def generate_key(alg, kid):
    """A new private JWK for alg (EC P-384 / P-256 or RSA 2048) with kid and alg set."""
    return jwk.JWK.generate(**ALGORITHMS[alg], kid=kid, alg=alg)


def public_jwk(key):
    """The public members of key as a dict, with kid, alg and "use": "sig"."""
    public = key.export_public(as_dict=True)
    public["use"] = "sig"
    leaked = [member for member in PRIVATE_MEMBERS if member in public]
    if leaked:
        raise Failure(f"public JWK would contain private members {leaked}")
    return public


def write_private(path, key):
    """Writes the private JWK to path, readable by the owner only (mode 0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file already existed with other permissions
    with os.fdopen(descriptor, "w") as f:
        f.write(key.export_private())
        f.write("\n")


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.write("\n")


def infer_alg(key):
    """The JWS alg of key: its own "alg" member, else the one keygen would have chosen."""
    if key.get("alg"):
        return key["alg"]
    if key.get("kty") == "RSA":
        return "RS384"
    if key.get("kty") == "EC":
        return {"P-384": "ES384", "P-256": "ES256", "P-521": "ES512"}.get(key.get("crv"))
    return None


def load_key(path):
    """Reads a private JWK file; returns (key, kid, alg). The kid falls back to the thumbprint."""
    try:
        with open(path) as f:
            key = jwk.JWK.from_json(f.read())
    except (OSError, ValueError, jwk.JWException) as error:
        raise Failure(f"cannot read a JWK from {path}: {error}") from error
    if not key.has_private:
        raise Failure(f"{path} holds no private key")
    alg = infer_alg(key)
    if alg is None:
        raise Failure(f"{path}: cannot tell the signing algorithm (no alg member)")
    return key, key.get("kid") or key.thumbprint(), alg


# --- client assertion (RFC 7523, SMART Backend Services) ---------------------------------------

def assertion_claims(client_id, audience, **overrides):
    """Claims of a valid client assertion; overrides replace single claims (for the bad cases)."""
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "exp": now + ASSERTION_LIFETIME,
        "iat": now,
        "jti": secrets.token_urlsafe(24),
    }
    claims.update(overrides)
    return claims


def sign_assertion(signer, claims):
    """Signs claims as a compact JWS; signer is (key, kid, alg) as load_key returns it."""
    key, kid, alg = signer
    token = jwt.JWT(header={"alg": alg, "kid": kid, "typ": "JWT"}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


# --- HTTP ---------------------------------------------------------------------------------------

def new_session(ca):
    """A requests.Session verifying TLS against the CA file only, ignoring the environment.

    trust_env=False keeps REQUESTS_CA_BUNDLE from replacing the CA, proxies from intercepting
    127.0.0.1 and ~/.netrc from adding an Authorization header to requests meant to have none.
    """
    if not os.path.isfile(ca):
        raise Failure(f"--ca {ca}: no such file")
    session = requests.Session()
    session.verify = ca
    session.trust_env = False
    return session


def redact(value):
    """value with every token-like member (access_token, ...) replaced, at any depth."""
    if isinstance(value, dict):
        return {k: ("<redacted>" if k in SECRET_FIELDS else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def parse_body(response):
    """The body as parsed JSON, else as text, or None when empty; tokens redacted."""
    if not response.content:
        return None
    try:
        return redact(response.json())
    except ValueError:
        return response.text


def record(response):
    """What a test needs to know about an answer: status, Content-Type, body, WWW-Authenticate."""
    return {
        "status": response.status_code,
        "contentType": response.headers.get("Content-Type"),
        "body": parse_body(response),
        "wwwAuthenticate": response.headers.get("WWW-Authenticate"),
    }


def bearer(token):
    return {"Authorization": f"Bearer {token}"} if token else {}


def discover(session, base):
    """GETs the SMART configuration; returns (its record, token_endpoint or None)."""
    response = session.get(
        f"{base}/.well-known/smart-configuration", headers={"Accept": "application/json"},
        timeout=HTTP_TIMEOUT)
    answer = record(response)
    body = answer["body"]
    endpoint = body.get("token_endpoint") if isinstance(body, dict) else None
    if response.status_code != 200 or not isinstance(endpoint, str):
        return answer, None
    return answer, endpoint


def post_token(session, endpoint, assertion, scope=DEFAULT_SCOPE,
               grant_type="client_credentials", assertion_type=ASSERTION_TYPE):
    """POSTs the client_credentials token request (form encoded) and returns the response."""
    form = {
        "grant_type": grant_type,
        "scope": scope,
        "client_assertion_type": assertion_type,
        "client_assertion": assertion,
    }
    return session.post(endpoint, data=form, headers={"Accept": "application/json"}, timeout=HTTP_TIMEOUT)


def token_summary(response):
    """(summary without the token, access token or None) from a token response."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    token = body.get("access_token") if response.status_code == 200 else None
    summary = {
        "status": response.status_code,
        "token_type": body.get("token_type"),
        "expires_in": body.get("expires_in"),
        "scope": body.get("scope"),
        "error": None if isinstance(token, str) and token else record(response),
    }
    return summary, (token if isinstance(token, str) and token else None)


def get_token(session, endpoint, signer, client_id, scope):
    """Authenticates with a fresh, valid assertion; returns (summary, access token or None)."""
    assertion = sign_assertion(signer, assertion_claims(client_id, endpoint))
    return token_summary(post_token(session, endpoint, assertion, scope))


# --- Bulk Data export -------------------------------------------------------------------------

def kickoff_url(base, group, types=None, since=None, output_format=NDJSON):
    """{base}/Group/{group}/$export with _outputFormat, _type (comma-separated) and _since."""
    params = []
    if output_format is not None:
        params.append(("_outputFormat", output_format))
    if types:
        params.append(("_type", ",".join(types)))
    if since:
        params.append(("_since", since))
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe=",/:")
    url = f"{base}/Group/{urllib.parse.quote(group, safe='')}/$export"
    return f"{url}?{query}" if query else url


def kickoff(session, url, token, prefer=True):
    """Sends the kick-off request; prefer=False leaves out `Prefer: respond-async`."""
    headers = {"Accept": FHIR_JSON, **bearer(token)}
    if prefer:
        headers["Prefer"] = "respond-async"
    return session.get(url, headers=headers, timeout=HTTP_TIMEOUT)


def retry_after(response):
    """Seconds the server asks to wait (Retry-After as seconds or HTTP-date), else the default."""
    value = response.headers.get("Retry-After")
    if value is None:
        return DEFAULT_SLEEP
    try:
        return max(float(value), MIN_SLEEP)
    except ValueError:
        pass
    try:
        return max(email.utils.parsedate_to_datetime(value).timestamp() - time.time(), MIN_SLEEP)
    except (TypeError, ValueError):
        return DEFAULT_SLEEP


def is_transient(response):
    """True for an error whose OperationOutcome has only `transient` issues: poll again later."""
    if response.status_code < 400:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict) or body.get("resourceType") != "OperationOutcome":
        return False
    issues = body.get("issue")
    return bool(issues) and all(isinstance(i, dict) and i.get("code") == "transient" for i in issues)


def poll(session, status_url, token, timeout):
    """Polls until the job leaves 202; returns (final response or None on timeout, X-Progress list).

    Honours Retry-After, capped at MAX_SLEEP per wait; 429 and transient errors are waited out
    like 202. Every X-Progress value of a 202 answer is recorded, in order.
    """
    deadline = time.monotonic() + timeout
    progress = []
    while True:
        response = session.get(
            status_url, headers={"Accept": "application/json", **bearer(token)}, timeout=HTTP_TIMEOUT)
        if response.status_code == 202:
            if response.headers.get("X-Progress") is not None:
                progress.append(response.headers["X-Progress"])
        elif response.status_code != 429 and not is_transient(response):
            return response, progress
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, progress
        time.sleep(min(retry_after(response), MAX_SLEEP, remaining))


def safe_name(resource_type):
    """resource_type reduced to characters safe in a file name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(resource_type)) or "unknown"


def count_lines(path):
    """Number of non-blank lines (resources) in an NDJSON file."""
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def download(session, url, token, path):
    """GETs one file with `Accept: application/fhir+ndjson` into path (only if 200)."""
    headers = {"Accept": NDJSON, **bearer(token)}
    with session.get(url, headers=headers, stream=True, timeout=HTTP_TIMEOUT) as response:
        result = {"status": response.status_code, "contentType": response.headers.get("Content-Type")}
        if response.status_code != 200:
            result["body"] = parse_body(response)
            return result, False
        with open(path, "wb") as f:
            for chunk in response.iter_content(chunk_size=65536):
                f.write(chunk)
    return result, True


def validate_file(validator, path):
    """Runs `python3 VALIDATOR < path`; returns {"exitCode", "report", "stderr"}.

    python3 is this script's own interpreter (sys.executable), so the validator sees the same
    Python version the caller chose.
    The validator prints a JSON report {"lines", "valid", "results", ...} and exits 0 when every
    line is valid, 1 when one is not, 2 when its FHIR library is missing.
    """
    try:
        with open(path, "rb") as f:
            completed = subprocess.run(
                [sys.executable, validator], stdin=f, capture_output=True, timeout=VALIDATOR_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"exitCode": None, "report": None, "stderr": f"validator did not run to the end: {error}"}
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        report = None
    stderr = completed.stderr.decode("utf-8", errors="replace").strip()
    return {"exitCode": completed.returncode, "report": report, "stderr": stderr[-4000:] or None}


def fetch_files(session, entries, base_url, token, out, prefix, validator):
    """Downloads the manifest entries (output or error) into out; one record per entry."""
    files = []
    for index, entry in enumerate(entries):
        entry = entry if isinstance(entry, dict) else {}
        url = urllib.parse.urljoin(base_url, str(entry.get("url", "")))
        path = os.path.join(out, f"{prefix}{index}-{safe_name(entry.get('type'))}.ndjson")
        result, saved = download(session, url, token, path)
        lines = count_lines(path) if saved else None
        count = entry.get("count")
        result.update({
            "index": index,
            "url": entry.get("url"),
            "type": entry.get("type"),
            "count": count,
            "lines": lines,
            "countMatches": None if count is None or lines is None else lines == count,
            "path": path if saved else None,
            "validation": validate_file(validator, path) if saved and validator else None,
        })
        files.append(result)
    return files


def cancel(session, status_url, token, file_url, file_token):
    """DELETEs the job, then GETs its status URL and (if any) its first file again."""
    auth = bearer(token)
    deleted = session.delete(status_url, headers={"Accept": FHIR_JSON, **auth}, timeout=HTTP_TIMEOUT)
    after = session.get(status_url, headers={"Accept": "application/json", **auth}, timeout=HTTP_TIMEOUT)
    file_after = None
    if file_url:
        headers = {"Accept": NDJSON, **bearer(file_token)}
        with session.get(file_url, headers=headers, stream=True, timeout=HTTP_TIMEOUT) as response:
            file_after = response.status_code
    return {"status": deleted.status_code, "statusAfter": after.status_code, "fileAfter": file_after}


def run_export(session, args, signer, result, job):
    """The export steps in order, filling result, and job as soon as there is a job to delete.

    job gets "statusUrl" and "token", then "fileUrl" (the first output file) and "fileToken".
    Stops at the first step the server refuses and sets result["error"] to where and why.
    """
    discovery, endpoint = discover(session, args.base)
    result["smartConfiguration"] = discovery["body"]
    # The server's FHIR CapabilityStatement ([base]/metadata), recorded for the caller to check.
    metadata = session.get(args.base.rstrip("/") + "/metadata", headers={"Accept": "application/fhir+json"}, timeout=HTTP_TIMEOUT)
    result["capabilityStatement"] = record(metadata)
    if endpoint is None:
        result["error"] = {"stage": "discovery", "message": "expected 200 with a token_endpoint", **discovery}
        return

    result["token"], token = get_token(session, endpoint, signer, args.client_id, args.scope)
    if token is None:
        result["error"] = {"stage": "token", "message": "expected 200 with an access_token"}
        return

    url = kickoff_url(args.base, args.group, args.type, args.since)
    response = kickoff(session, url, token)
    location = response.headers.get("Content-Location")
    answer = record(response)
    result["kickoff"] = {"status": response.status_code, "contentLocation": location, "url": url,
                         "contentType": answer["contentType"], "body": answer["body"]}
    if response.status_code != 202 or not location:
        result["error"] = {"stage": "kickoff", "message": "expected 202 with Content-Location"}
        return
    job.update(statusUrl=urllib.parse.urljoin(url, location), token=token)

    final, result["progress"] = poll(session, job["statusUrl"], token, args.timeout)
    if final is None:
        result["error"] = {"stage": "poll", "message": f"job not complete after {args.timeout} s"}
        return
    manifest = parse_body(final)
    if final.status_code != 200 or not isinstance(manifest, dict):
        result["error"] = {"stage": "poll", "message": "expected 200 with a JSON manifest", **record(final)}
        return
    result["manifest"] = manifest

    file_token = token if manifest.get("requiresAccessToken") is True else None
    outputs = manifest.get("output") if isinstance(manifest.get("output"), list) else []
    errors = manifest.get("error") if isinstance(manifest.get("error"), list) else []
    if outputs and isinstance(outputs[0], dict):
        job.update(fileUrl=urllib.parse.urljoin(job["statusUrl"], str(outputs[0].get("url", ""))))
    job.update(fileToken=file_token)
    result["files"] = fetch_files(session, outputs, job["statusUrl"], file_token, args.out, "", args.validator)
    result["errorFiles"] = fetch_files(
        session, errors, job["statusUrl"], file_token, args.out, "error-", args.validator)


def cancel_job(session, job):
    """cancel() for what run_export left in job."""
    return cancel(session, job["statusUrl"], job.get("token"), job.get("fileUrl"), job.get("fileToken"))


# --- subcommands --------------------------------------------------------------------------------

def cmd_keygen(args):
    """Generates a signing key; writes private.jwk.json (0600) and jwks.json into --out."""
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        raise Failure(f"cannot create {args.out}: {error}") from error
    key = generate_key(args.alg, args.kid)
    private_path = os.path.join(args.out, "private.jwk.json")
    jwks_path = os.path.join(args.out, "jwks.json")
    write_private(private_path, key)
    write_json(jwks_path, {"keys": [public_jwk(key)]})
    return {"kid": args.kid, "alg": args.alg, "jwks": jwks_path, "private": private_path}


def cmd_export(args):
    """Authorizes, exports --group, downloads (and validates) the files, then deletes the job."""
    signer = load_key(args.key)
    if args.validator and not os.path.isfile(args.validator):
        raise Failure(f"--validator {args.validator}: no such file")
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        raise Failure(f"cannot create {args.out}: {error}") from error
    session = new_session(args.ca)
    result = {"smartConfiguration": None, "capabilityStatement": None, "token": None, "kickoff": None, "progress": [], "manifest": None,
              "files": [], "errorFiles": [], "delete": None, "error": None}
    job = {}
    try:
        run_export(session, args, signer, result, job)
    except BaseException:
        if job.get("statusUrl"):  # best effort: leave no job behind when failing for another reason
            try:
                cancel_job(session, job)
            except requests.RequestException:
                pass
        raise
    if job.get("statusUrl"):
        result["delete"] = cancel_job(session, job)
    return result


def token_case(session, endpoint, scope, signer, claims, **form):
    """One token request with an assertion of the given claims, recorded."""
    return record(post_token(session, endpoint, sign_assertion(signer, claims), scope, **form))


def kickoff_case(session, url, token, cleanup_token, prefer=True):
    """One kick-off, recorded; a job it unexpectedly started (202) is deleted again."""
    response = kickoff(session, url, token, prefer=prefer)
    result = record(response)
    location = response.headers.get("Content-Location")
    if response.status_code == 202 and location:
        deleted = session.delete(urllib.parse.urljoin(url, location),
                                 headers={"Accept": FHIR_JSON, **bearer(cleanup_token)}, timeout=HTTP_TIMEOUT)
        result["cleanupStatus"] = deleted.status_code
    return result


def token_cases(session, endpoint, args, signer, other):
    """The cases that present a bad token request; each records the token endpoint's answer."""
    cid, scope = args.client_id, args.scope
    now = int(time.time())

    def case(key, claims, **form):
        return token_case(session, endpoint, scope, key, claims, **form)

    replayed = sign_assertion(signer, assertion_claims(cid, endpoint))
    return {
        "expiredAssertion": case(signer, assertion_claims(cid, endpoint, exp=now - 60, iat=now - 400)),
        "expTooFar": case(signer, assertion_claims(cid, endpoint, exp=now + 3600)),
        "wrongAudience": case(signer, assertion_claims(cid, "https://example.org/token")),
        "replayedJti": {
            "first": record(post_token(session, endpoint, replayed, scope)),
            "second": record(post_token(session, endpoint, replayed, scope)),
        },
        "unknownClient": case(signer, assertion_claims("no-such-client", endpoint)),
        "otherClientsKey": case(other, assertion_claims(cid, endpoint)),
        "issNotSub": case(signer, assertion_claims(cid, endpoint, sub="someone-else")),
        "wrongAssertionType": case(signer, assertion_claims(cid, endpoint), assertion_type="urn:example:bogus"),
        "wrongGrantType": case(signer, assertion_claims(cid, endpoint), grant_type="authorization_code"),
    }


def kickoff_cases(session, args, token):
    """The cases that present a bad kick-off; token is a valid access token (or None)."""
    url = kickoff_url(args.base, args.group)
    cases = {
        "noToken": kickoff_case(session, url, None, token),
        "badToken": kickoff_case(session, url, "not-a-real-token", token),
    }
    if token is None:
        return cases
    cases["otherStudy"] = kickoff_case(session, kickoff_url(args.base, args.other_group), token, token)
    cases["missingPrefer"] = kickoff_case(session, url, token, token, prefer=False)
    cases["badOutputFormat"] = kickoff_case(
        session, kickoff_url(args.base, args.group, output_format="text/csv"), token, token)
    cases["unknownType"] = kickoff_case(
        session, kickoff_url(args.base, args.group, types=["NotAResource"]), token, token)
    return cases


def cmd_badcases(args):
    """Presents each bad token request and bad kick-off; records what the server answered."""
    signer = load_key(args.key)
    other = load_key(args.other_key)
    session = new_session(args.ca)
    result = {"cases": {}, "error": None}
    config, endpoint = discover(session, args.base)
    if endpoint is None:
        result["error"] = {"stage": "discovery", "message": "no token_endpoint in smart-configuration",
                           **config}
        return result
    result["cases"].update(token_cases(session, endpoint, args, signer, other))
    summary, token = get_token(session, endpoint, signer, args.client_id, args.scope)
    if token is None:
        result["error"] = {"stage": "token", "message": "no valid access token; cases needing one left out",
                           "token": summary}
    result["cases"].update(kickoff_cases(session, args, token))
    return result


# --- command line -------------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    """argparse, but a wrong invocation exits 1 like every other failure of this script."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def add_server_arguments(parser):
    parser.add_argument("--base", required=True, help="FHIR base URL, e.g. https://127.0.0.1:PORT/fhir")
    parser.add_argument("--ca", required=True, help="PEM root to verify the server's TLS certificate against")
    parser.add_argument("--client-id", required=True, help="the registered backend-service client_id")
    parser.add_argument("--key", required=True, help="the client's private JWK (from keygen)")
    parser.add_argument("--group", required=True, help="Group id to export")
    parser.add_argument("--scope", default=DEFAULT_SCOPE, help=f"scope to request (default {DEFAULT_SCOPE})")


def build_parser():
    parser = Parser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    keygen = commands.add_parser("keygen", help="generate a signing key and its JWKS")
    keygen.add_argument("--alg", required=True, choices=sorted(ALGORITHMS))
    keygen.add_argument("--kid", required=True)
    keygen.add_argument("--out", required=True, help="directory for private.jwk.json and jwks.json")
    keygen.set_defaults(handler=cmd_keygen)

    export = commands.add_parser("export", help="run a Group $export end to end")
    add_server_arguments(export)
    export.add_argument("--out", required=True, help="directory for the downloaded NDJSON files")
    export.add_argument("--type", action="append", default=[], help="resource type for _type (repeatable)")
    export.add_argument("--since", help="FHIR instant for _since")
    export.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the job (default 120)")
    export.add_argument("--validator", help="script run as `python3 VALIDATOR < file` for each NDJSON file")
    export.set_defaults(handler=cmd_export)

    bad = commands.add_parser("badcases", help="record the answers to invalid token and kick-off requests")
    add_server_arguments(bad)
    bad.add_argument("--other-key", required=True, help="private JWK of another registered client")
    bad.add_argument("--other-group", required=True, help="a Group the client may not export")
    bad.set_defaults(handler=cmd_badcases)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if getattr(args, "base", None):
        args.base = args.base.rstrip("/")
    if getattr(args, "type", None):
        args.type = [t for value in args.type for t in value.split(",") if t]
    try:
        result = args.handler(args)
    except Failure as error:
        print(f"bulk_client.py: {error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"bulk_client.py: network failure: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a local file that cannot be read or written
        print(f"bulk_client.py: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
