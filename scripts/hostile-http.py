#!/usr/bin/env python3
"""Hostile input over HTTP: schemathesis against the OpenAPI document of a running `retur serve`.

Starts the server on a fresh SQLite file on a loopback port, then lets schemathesis generate
requests from `/openapi.json` for every operation, as each role in turn (valid and invalid
bodies, parameters and headers). Afterwards it checks, from the recorded requests and the log:

- no response was a 5xx;
- the server did not panic and is still serving;
- no request that was answered other than 2xx wrote anything: every event's correlation id is
  the request id of the request that wrote it, and none is the id of a rejected request.

Usage: scripts/hostile-http.py [--examples N] [--retur PATH] [--schemathesis PATH]
Prints the number of requests tried, by status, and exits non-zero on any finding.
"""

import argparse
import collections
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import yaml

SECRET = "a secret for the schemathesis run, long enough for HS256"
ROLES = ["applicant", "udi", "une", "iom", "system", "auditor"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="test cases per operation and role")
    parser.add_argument("--retur", default="target/debug/retur", help="the retur binary")
    parser.add_argument("--schemathesis", default="schemathesis", help="the schemathesis command")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="retur-schemathesis-")
    database = os.path.join(work, "retur.db")
    env = dict(os.environ, RETUR_TOKEN_SECRET=SECRET, DATABASE_URL=f"sqlite://{database}")
    stderr = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen(
        [args.retur, "serve", "--listen", "127.0.0.1:0"],
        env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
    )
    findings = []
    try:
        first = server.stdout.readline().strip()
        if not first.startswith("retur serves on "):
            print(f"the server did not start: {first!r}", file=sys.stderr)
            return 1
        base = first.removeprefix("retur serves on ")

        # One case in the log, so that reads and commands of a real case are possible too.
        case = str(uuid.uuid4())
        tokens = {role: token(args.retur, env, role, case) for role in ROLES}
        submit(base, tokens["applicant"], case)

        by_status = collections.Counter()
        rejected_ids = set()
        for role in ROLES:
            cassette = os.path.join(work, f"{role}.yaml")
            run = subprocess.run(
                [
                    args.schemathesis, "run", f"{base}/openapi.json",
                    "--checks", "not_a_server_error",
                    "--header", f"Authorization: Bearer {tokens[role]}",
                    "--max-examples", str(args.examples),
                    "--seed", str(args.seed),
                    "--phases", "examples,coverage,fuzzing",
                    "--continue-on-failure",
                    "--report", "vcr", "--report-vcr-path", cassette,
                    "--no-color",
                    "--generation-database", "none",
                ],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            tried = 0
            with open(cassette) as recorded:
                for interaction in yaml.safe_load(recorded)["http_interactions"]:
                    response = interaction.get("response") or {}
                    status = int((response.get("status") or {}).get("code", 0))
                    tried += 1
                    by_status[status] += 1
                    request = interaction["request"]
                    line = f"{role}: {request['method']} {request['uri']} -> {status}"
                    if status >= 500 or status == 0:
                        findings.append(f"{line}\n  body: {request.get('body')}")
                    if not 200 <= status < 300:
                        headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
                        for request_id in headers.get("x-request-id", []):
                            rejected_ids.add(request_id)
            print(f"{role}: {tried} requests; schemathesis exit {run.returncode}")
            if run.returncode != 0:
                findings.append(f"schemathesis as {role} reported failures:\n{run.stdout[-3000:]}")

        if server.poll() is not None:
            findings.append(f"the server stopped (exit {server.returncode})")
        else:
            with urllib.request.urlopen(f"{base}/health") as health:
                if health.status != 200:
                    findings.append(f"/health answers {health.status} after the run")
        stderr.flush()
        with open(os.path.join(work, "server.log")) as log:
            if "panicked" in log.read():
                findings.append("the server's log shows a panic")

        written = sqlite3.connect(database).execute("SELECT position, metadata FROM events").fetchall()
        for position, metadata in written:
            if json.loads(metadata)["correlation_id"] in rejected_ids:
                findings.append(f"position {position} was written by a rejected request")
        total = sum(by_status.values())
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(by_status.items()))
        print(f"{total} requests in all ({statuses}); the log holds {len(written)} events")
    finally:
        server.kill()
        server.wait()

    for finding in findings:
        print(f"FOUND: {finding}", file=sys.stderr)
    if not findings:
        subprocess.run(["rm", "-rf", work])
    return 1 if findings else 0


def token(retur: str, env: dict, role: str, case: str) -> str:
    command = [retur, "token", "issue", "--role", role, "--actor", f"{role}-fuzz"]
    if role == "applicant":
        command += ["--case", case]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout.strip()


def submit(base: str, applicant: str, case: str) -> None:
    body = json.dumps({
        "command": "submit",
        "household": [{
            "person_id": str(uuid.uuid4()), "relation": "principal_applicant",
            "full_name": "Abebe Bekele", "date_of_birth": "1985-05-20",
        }],
        "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
        "situation": "asylum_refused",
    }).encode()
    request = urllib.request.Request(
        f"{base}/cases/{case}/commands", data=body, method="POST",
        headers={"Authorization": f"Bearer {applicant}", "Content-Type": "application/json"},
    )
    for _ in range(50):
        try:
            with urllib.request.urlopen(request) as response:
                assert response.status == 200, response.status
                return
        except ConnectionError:
            time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
